using Outreach.Dispatch;
using Outreach.Live;
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
        return new HelpRequestView
        {
            Id = id,
            Status = s.Status,
            Escalated = s.Escalated,
            Category = r.Category,
            Urgency = r.Urgency,
            Position = r.Position,
            Address = r.Address,
            Description = r.Description,
            CallerPhone = r.CallerPhone,
            WorkerId = r.WorkerId,
            StationId = s.StationId,
            OfferedCount = s.Offers.Count,
            CircleMinutes = s.CircleMinutes,
            AssignedVolunteerId = s.AssignedVolunteerId,
            AssignedVolunteerName = s.AssignedVolunteerName,
            AssignedVolunteerPhone = s.AssignedVolunteerPhone,
            AssignedEtaMinutes = s.AssignedEtaMinutes,
            CreatedBy = s.CreatedBy,
            CreatedAt = s.CreatedAt,
            ClaimedAt = s.ClaimedAt,
            EnRouteAt = s.EnRouteAt,
            OnSiteAt = s.OnSiteAt,
            CompletedAt = s.CompletedAt,
            ClosedAt = s.ClosedAt,
            DeadlineAt = s.DeadlineAt,
            FollowUp = s.FollowUp,
            Version = s.Version,
            CarePlanId = r.CarePlanId,
            WindowFrom = r.WindowFrom,
            WindowTo = r.WindowTo,
        };
    }

    /// <summary>
    /// The offers of <paramref name="volunteers"/> that <paramref name="s"/> holds, as one round (none when it holds
    /// none of them): the view they share and each one's own ETA and distance.
    /// </summary>
    public static OfferRound[] ToRounds(Guid id, HelpRequestState s, IEnumerable<Guid> volunteers)
    {
        ArgumentNullException.ThrowIfNull(s);
        var to = new List<OfferedVolunteer>();
        foreach (var v in volunteers)
        {
            if (s.Offers.TryGetValue(v, out var offer))
                to.Add(new OfferedVolunteer(v, offer.EtaMinutes, offer.DistanceM));
        }
        return to.Count == 0 ? [] : [new OfferRound(ToOffer(id, s, to[0].VolunteerId), [.. to])];
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
