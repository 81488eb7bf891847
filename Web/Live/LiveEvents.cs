namespace Outreach.Web.Live;

/// <summary>Names of the server-to-client events on <c>/hubs/live</c>.</summary>
public static class LiveEvents
{
    public const string Offer = "offer";
    public const string OfferWithdrawn = "offerWithdrawn";
    public const string RequestUpdated = "requestUpdated";
    public const string VolunteersMoved = "volunteersMoved";
    public const string VolunteerDuty = "volunteerDuty";
    public const string Resync = "resync";
}
