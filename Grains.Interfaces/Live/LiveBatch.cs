namespace Outreach.Live;

/// <summary>Events for browsers, handed from grains to every web node in one message.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.LiveBatch")]
public sealed record LiveBatch(
    [property: Id(0)] OfferRound[] Offers,
    [property: Id(1)] OfferWithdrawal[] Withdrawals,
    [property: Id(2)] RequestChange[] Requests,
    [property: Id(3)] VolunteerChange[] Volunteers)
{
    public static LiveBatch Of(params OfferRound[] offers) => new(offers, [], [], []);

    public static LiveBatch Of(params OfferWithdrawal[] withdrawals) => new([], withdrawals, [], []);

    public static LiveBatch Of(params RequestChange[] requests) => new([], [], requests, []);

    public static LiveBatch Of(params VolunteerChange[] volunteers) => new([], [], [], volunteers);

    public bool IsEmpty => Offers.Length == 0 && Withdrawals.Length == 0 && Requests.Length == 0 && Volunteers.Length == 0;
}
