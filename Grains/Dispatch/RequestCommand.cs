using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>Something a person or the clock asks of a help request; <see cref="HelpRequest.Decide"/> answers it.</summary>
public abstract record RequestCommand(Actor Actor);

/// <summary>The hotline records a new request.</summary>
public sealed record SubmitCommand(Actor Actor, NewHelpRequest Request) : RequestCommand(Actor);

/// <summary>A volunteer claims the request (抢单).</summary>
public sealed record ClaimCommand(Actor Actor) : RequestCommand(Actor);

/// <summary>The assignee reports the next step.</summary>
public sealed record AdvanceCommand(Actor Actor, RequestStatus To, string? Note) : RequestCommand(Actor);

/// <summary>The assignee cannot go.</summary>
public sealed record ReleaseCommand(Actor Actor, string Reason) : RequestCommand(Actor);

/// <summary>A coordinator gives the request to a volunteer.</summary>
public sealed record AssignCommand(Actor Actor, Guid VolunteerId, bool Force, string? Note) : RequestCommand(Actor);

/// <summary>An operator or coordinator withdraws the request.</summary>
public sealed record CancelCommand(Actor Actor, string Reason) : RequestCommand(Actor);

/// <summary>The call-back to the family.</summary>
public sealed record FollowUpCommand(Actor Actor, bool Satisfied, int Rating, string? Note) : RequestCommand(Actor);

/// <summary>A coordinator widens the circle and offers again.</summary>
public sealed record ReofferCommand(Actor Actor, string? Note) : RequestCommand(Actor);

/// <summary>A line in the timeline.</summary>
public sealed record NoteCommand(Actor Actor, string Note) : RequestCommand(Actor);

/// <summary>The deadline reminder fired.</summary>
public sealed record DeadlineCommand() : RequestCommand(Actor.System);

/// <summary>
/// What the model needs to know from outside to decide: the time, and, when a decision asked for them
/// (<see cref="Decision.Needs"/>), the candidates of a round, the station, a volunteer.
/// </summary>
public sealed record RequestFacts(DateTimeOffset Now)
{
    /// <summary>The volunteers who pass the circle test for <see cref="Decision.Needs"/>' query.</summary>
    public Candidate[]? Candidates { get; init; }

    /// <summary>Whether the station was looked up, and which it is (null: there is none).</summary>
    public bool StationKnown { get; init; }

    /// <summary>The station whose circle holds the place.</summary>
    public Guid? StationId { get; init; }

    /// <summary>The volunteer the command is about, with whether they have room for one more request.</summary>
    public VolunteerFacts? Volunteer { get; init; }

    /// <summary>The family's paired helpers (null: not looked up; empty: the family has none).</summary>
    public PairedHelperFacts[]? Paired { get; init; }
}

/// <summary>A volunteer as the request needs them: null <see cref="Profile"/> when there is none.</summary>
public sealed record VolunteerFacts(Guid VolunteerId, Outreach.Volunteers.VolunteerView? Profile, bool HasRoom);

/// <summary>
/// A volunteer paired with the request's family (一对一结对): who they are (null <see cref="Profile"/> when there is no
/// such volunteer any more), whether a push device can reach them off duty, and whether they have room for one more.
/// </summary>
public sealed record PairedHelperFacts(Guid VolunteerId, Outreach.Volunteers.VolunteerView? Profile, bool HasPushDevice);
