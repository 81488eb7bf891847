using Microsoft.Extensions.Logging;

namespace Outreach.Grains.Sms;

/// <summary>
/// The development sink (<c>Sms:Provider=console</c>): each message is written to the log as its template would read,
/// with the number masked to its last two digits. It carries the status link and reply codes, so a developer can
/// follow them; never use it where the log is shared.
/// </summary>
public sealed class ConsoleSmsGateway(ILogger<ConsoleSmsGateway> log) : ISmsGateway
{
    public Task<SmsSendResult> SendAsync(string phone, SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phone);
        ArgumentNullException.ThrowIfNull(message);
        log.LogInformation("SMS to {Phone} ({Kind}): {Text}", SmsTexts.Mask(phone), message.Kind, SmsTexts.Render(message));
        return Task.FromResult(new SmsSendResult(true, "console"));
    }
}
