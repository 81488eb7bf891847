namespace Outreach.Live;

/// <summary>An offer that is gone for these volunteers (claimed by someone else, cancelled, re-targeted).</summary>
[GenerateSerializer, Immutable, Alias("Outreach.OfferWithdrawal")]
public sealed record OfferWithdrawal(
    [property: Id(0)] Guid[] VolunteerIds,
    [property: Id(1)] Guid RequestId,
    [property: Id(2)] string Reason);
