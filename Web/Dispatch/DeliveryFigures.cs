namespace Outreach.Web.Dispatch;

/// <summary>
/// What reached whom since the figures' start (the delivery record): offers made to volunteers, how many a device
/// showed (the live page or a push the service worker received), how many reached no device, and every channel's
/// answers counted (<c>push.accepted</c>, <c>robot.failed</c>, <c>sms.accepted</c>, …).
/// </summary>
public sealed record DeliveryFigures(int Offers, int Seen, int ReachedNoDevice, IReadOnlyDictionary<string, int> ByChannel)
{
    public static DeliveryFigures None { get; } = new(0, 0, 0, new Dictionary<string, int>());
}
