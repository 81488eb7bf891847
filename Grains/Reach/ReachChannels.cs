using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Reach;

/// <summary>What one attempt on a channel came back with (see <see cref="Outreach.Reach.DeliveryOutcomes"/>).</summary>
public sealed record DeliveryResult(string Outcome, string? Detail, Guid? VolunteerId = null);

/// <summary>Web Push to a volunteer's devices.</summary>
public interface IPushChannel
{
    /// <summary>Which of these volunteers have a device to push to (one lookup for a whole round of offers).</summary>
    Task<IReadOnlySet<Guid>> WithDevicesAsync(IReadOnlyCollection<Guid> volunteers, CancellationToken cancellationToken);

    /// <summary>Pushes the offer to each of the volunteer's subscriptions; one result per device (none without one).</summary>
    Task<DeliveryResult[]> OfferAsync(Guid volunteerId, OfferView offer, CancellationToken cancellationToken);

    /// <summary>Tells the volunteer's devices the offer is gone (the notification tagged with the request closes).</summary>
    Task<DeliveryResult[]> WithdrawAsync(Guid volunteerId, Guid requestId, string reason, CancellationToken cancellationToken);
}

/// <summary>The request's station group, through its robots (WeCom, DingTalk).</summary>
public interface IRobotChannel
{
    /// <summary>Posts the news to every robot of the station; one result per robot (none when it has none).</summary>
    Task<DeliveryResult[]> PostAsync(Guid stationId, RobotNews news, CancellationToken cancellationToken);
}

/// <summary>What a station's group hears: the offer (no address, no phone) or that it was claimed (first name only).</summary>
public sealed record RobotNews(
    string Event,
    Guid RequestId,
    HelpCategory Category,
    Urgency Urgency,
    int OfferedCount,
    string? ClaimerName);

/// <summary>Text messages: to the family who called, and to volunteers who asked for offers by SMS.</summary>
public interface ISmsChannel
{
    /// <summary>Tells the family (the request's caller phone) of a step: claimed, on site, completed.</summary>
    Task<DeliveryResult[]> TellFamilyAsync(string familyEvent, HelpRequestView request, CancellationToken cancellationToken);

    /// <summary>Texts an offer (with a reply code) to a volunteer who opted in; none when they did not.</summary>
    Task<DeliveryResult[]> OfferAsync(Guid volunteerId, OfferView offer, CancellationToken cancellationToken);
}

/// <summary>The channels before any is configured: nothing is sent, nothing is recorded.</summary>
public sealed class NoChannel : IPushChannel, IRobotChannel, ISmsChannel
{
    public Task<IReadOnlySet<Guid>> WithDevicesAsync(IReadOnlyCollection<Guid> volunteers, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid>());

    public Task<DeliveryResult[]> OfferAsync(Guid volunteerId, OfferView offer, CancellationToken cancellationToken) => Task.FromResult<DeliveryResult[]>([]);

    public Task<DeliveryResult[]> WithdrawAsync(Guid volunteerId, Guid requestId, string reason, CancellationToken cancellationToken) =>
        Task.FromResult<DeliveryResult[]>([]);

    public Task<DeliveryResult[]> PostAsync(Guid stationId, RobotNews news, CancellationToken cancellationToken) => Task.FromResult<DeliveryResult[]>([]);

    public Task<DeliveryResult[]> TellFamilyAsync(string familyEvent, HelpRequestView request, CancellationToken cancellationToken) =>
        Task.FromResult<DeliveryResult[]>([]);
}
