namespace Outreach.Sms;

/// <summary>
/// Text messages sent to the service's number, as the web node hands them over after checking they came from the
/// provider: a volunteer's reply code claims the offer it was sent with, as a tap would, and the volunteer is
/// answered by SMS. Stateless: the codes are in the database (<c>outreach_sms_codes</c>); use key 0.
/// </summary>
[Alias("Outreach.ISmsInboxGrain")]
public interface ISmsInboxGrain : IGrainWithIntegerKey
{
    /// <summary>Acts on one message and says what came of it (the sender has been answered by SMS, if at all).</summary>
    [Alias("Receive")]
    Task<InboundOutcome> ReceiveAsync(InboundSms message);
}
