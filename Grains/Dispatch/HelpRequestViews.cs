using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>How a stored request is shown: whole to its rightful viewers, masked as an offer to a volunteer.</summary>
public static class HelpRequestViews
{
    /// <summary>The whole request (staff, and the assignee).</summary>
    public static HelpRequestView ToView(Guid id, HelpRequestState s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var r = s.Request ?? throw new InvalidOperationException($"Request {id} has not been recorded.");
        return new HelpRequestView(id, s.Status, s.Escalated, r.Category, r.Urgency, r.Position, r.Address, r.Description,
            r.CallerPhone, r.WorkerId, s.StationId, s.Offers.Count, s.CircleMinutes, s.AssignedVolunteerId,
            s.AssignedVolunteerName, s.AssignedEtaMinutes, s.CreatedBy, s.CreatedAt, s.ClaimedAt, s.EnRouteAt, s.OnSiteAt,
            s.CompletedAt, s.ClosedAt, s.DeadlineAt, s.FollowUp, s.Version, s.AssignedVolunteerPhone);
    }

    /// <summary>What <paramref name="volunteerId"/>, who was offered the request, sees of it: never the address or a phone.</summary>
    public static OfferView ToOffer(Guid id, HelpRequestState s, Guid volunteerId)
    {
        ArgumentNullException.ThrowIfNull(s);
        var offer = s.Offers[volunteerId];
        var request = s.Request!;
        return new OfferView(id, request.Category, request.Urgency, offer.EtaMinutes, offer.DistanceM,
            GeoMath.Approximate(request.Position), s.CreatedAt, s.Status);
    }
}
