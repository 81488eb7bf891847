using Outreach.Reach;

namespace Outreach.Grains.Sms;

/// <summary>Sends one text message through the configured provider (<see cref="SmsOptions.Provider"/>).</summary>
public interface ISmsGateway
{
    /// <summary>
    /// Sends <paramref name="message"/> to <paramref name="phone"/> (E.164). Answers whether the provider took it and
    /// its answer code (never the number): <c>timeout</c> or <c>unreachable</c> when it could not be reached.
    /// </summary>
    Task<SmsSendResult> SendAsync(string phone, SmsMessage message, CancellationToken cancellationToken);
}

/// <summary>A message: its kind (the provider's template) and the values of the template's variables.</summary>
public sealed record SmsMessage(SmsKind Kind, IReadOnlyDictionary<string, string> Parameters);

/// <summary>What the provider answered: taken or refused, and its code (<c>OK</c>, <c>isv.BUSINESS_LIMIT_CONTROL</c>, <c>HTTP 500</c>).</summary>
public sealed record SmsSendResult(bool Accepted, string Code)
{
    public string Outcome => Accepted ? DeliveryOutcomes.Accepted : DeliveryOutcomes.Failed;
}
