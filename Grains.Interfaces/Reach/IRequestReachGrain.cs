namespace Outreach.Reach;

/// <summary>
/// How one request's news reaches people beyond the live pages: the volunteers' devices (Web Push, SMS), the
/// station's group (robots) and the family (SMS with a status link). Keyed by the request's id. The request grain
/// tells it each stored change (never before the write); the channels run on their own schedule (the ladder), so a
/// slow or failing channel never holds up dispatch. Every attempt is kept in the delivery record.
/// </summary>
[Alias("Outreach.IRequestReachGrain")]
public interface IRequestReachGrain : IGrainWithGuidKey
{
    /// <summary>A stored change of the request: new offers, withdrawals, a new status. Fire-and-forget.</summary>
    [Orleans.Concurrency.OneWay, Alias("Notice")]
    Task NoticeAsync(ReachNotice notice);

    /// <summary>
    /// A volunteer's device showed the offer (the page got it live, or the service worker got the push): later
    /// steps of the ladder for this volunteer (SMS) are not needed. Recorded only while the offer is open to them;
    /// anyone else is ignored.
    /// </summary>
    [Alias("Acknowledge")]
    Task AcknowledgeAsync(Guid volunteerId, ReachChannel channel);

    /// <summary>
    /// <see cref="AcknowledgeAsync"/> for many at once: the web node gathers the acknowledgements of one request's
    /// offers for a moment (fifty phones answer within milliseconds of each other) and tells them in one call.
    /// </summary>
    [Alias("AcknowledgeAll")]
    Task AcknowledgeAllAsync(OfferSeen[] seen);

    /// <summary>What was tried for this request, oldest first (coordinators' timeline).</summary>
    [Alias("GetDeliveries")]
    Task<DeliveryRecord[]> GetDeliveriesAsync();
}
