namespace Outreach.Sms;

/// <summary>
/// How many "that code is not valid" answers one number may still be sent: a phone that keeps texting wrong codes (a
/// person retrying, an auto-responder, a batch of them) is answered the first few times in a window, then no more —
/// each answer is a paid text. Keyed by the number's keyed hash (<c>PhoneIndexKeys</c>), never the number itself.
/// </summary>
[Alias("Outreach.ISmsAnswerBudgetGrain")]
public interface ISmsAnswerBudgetGrain : IGrainWithStringKey
{
    /// <summary>True (and counted) if one more invalid-code answer may be sent now; false once the window's are spent.</summary>
    [Alias("TakeInvalidAnswer")]
    Task<bool> TakeInvalidAnswerAsync();
}
