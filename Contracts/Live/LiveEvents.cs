namespace Outreach.Contracts;

/// <summary>
/// Names of the server-to-client events on <c>/hubs/live</c>: the hub sends them and every client (the tests, the bench,
/// the chaos suite) listens by these names. The payloads are the records beside this one (<see cref="OfferEvent"/>…).
/// </summary>
public static class LiveEvents
{
    public const string Offer = "offer";
    public const string OfferWithdrawn = "offerWithdrawn";
    public const string RequestUpdated = "requestUpdated";
    public const string RequestsUpdated = "requestsUpdated";
    public const string VolunteersMoved = "volunteersMoved";
    public const string VolunteerDuty = "volunteerDuty";
    public const string Resync = "resync";

    /// <summary>Every event the hub sends.</summary>
    public static readonly IReadOnlyList<string> All = [Offer, OfferWithdrawn, RequestUpdated, RequestsUpdated, VolunteersMoved, VolunteerDuty, Resync];
}
