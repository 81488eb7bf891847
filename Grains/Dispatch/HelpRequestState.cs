using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>Persisted state of a help request: what was asked, where it stands, and everything that happened.</summary>
[GenerateSerializer, Alias("Outreach.HelpRequestState")]
public sealed class HelpRequestState
{
    [Id(0)] public NewHelpRequest? Request { get; set; }

    [Id(1)] public Guid CreatedBy { get; set; }

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public RequestStatus Status { get; set; } = RequestStatus.New;

    [Id(4)] public bool Escalated { get; set; }

    [Id(5)] public double CircleMinutes { get; set; }

    [Id(6)] public Guid? StationId { get; set; }

    /// <summary>The volunteers offered the request in the current round.</summary>
    [Id(7)] public Dictionary<Guid, OfferRecord> Offers { get; set; } = [];

    /// <summary>Volunteers never to be offered this request again (released it, or the family was not satisfied).</summary>
    [Id(8)] public HashSet<Guid> Excluded { get; set; } = [];

    [Id(9)] public Guid? AssignedVolunteerId { get; set; }

    [Id(10)] public string? AssignedVolunteerName { get; set; }

    [Id(11)] public string? AssignedVolunteerPhone { get; set; }

    [Id(12)] public double? AssignedEtaMinutes { get; set; }

    [Id(13)] public DateTimeOffset? ClaimedAt { get; set; }

    [Id(14)] public DateTimeOffset? EnRouteAt { get; set; }

    [Id(15)] public DateTimeOffset? OnSiteAt { get; set; }

    [Id(16)] public DateTimeOffset? CompletedAt { get; set; }

    [Id(17)] public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>When the current deadline (claim, or setting off) runs out; null when none runs.</summary>
    [Id(18)] public DateTimeOffset? DeadlineAt { get; set; }

    [Id(19)] public List<TimelineEntry> Timeline { get; set; } = [];

    [Id(20)] public FollowUpRecord? FollowUp { get; set; }

    /// <summary>Goes up by one with every recorded change.</summary>
    [Id(21)] public int Version { get; set; }

    /// <summary>Every completed service of this request, oldest first; kept when the request is reopened.</summary>
    [Id(22)] public List<ServiceEntry> Services { get; set; } = [];

    /// <summary>While set, the request is offered to the family's paired helper(s) alone until then; then to the circle.</summary>
    [Id(23)] public DateTimeOffset? PairedUntil { get; set; }

    /// <summary>Whether nothing happens to the request any more (<see cref="Lifecycle.Closed"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsClosed => Lifecycle.IsClosed(Status);

    /// <summary>A copy that shares nothing mutable with this one (the records inside are immutable).</summary>
    public HelpRequestState Copy()
    {
        var copy = (HelpRequestState)MemberwiseClone();
        copy.Offers = new Dictionary<Guid, OfferRecord>(Offers);
        copy.Excluded = [.. Excluded];
        copy.Timeline = [.. Timeline];
        copy.Services = [.. Services];
        return copy;
    }
}
