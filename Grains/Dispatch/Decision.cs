using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The model's answer to a command: a refusal, a request for facts it does not have yet, "nothing to do"
/// (a repeat), or the next state with the effects to carry out once that state is stored.
/// </summary>
public sealed record Decision
{
    /// <summary>The state to store; null when nothing changes.</summary>
    public HelpRequestState? Next { get; init; }

    /// <summary>What to do once <see cref="Next"/> is durable (or, for a repeat, again: every effect is idempotent).</summary>
    public RequestEffects Effects { get; init; } = RequestEffects.None;

    /// <summary>Why the command is refused; null when it is not.</summary>
    public Refusal? Refusal { get; init; }

    /// <summary>Facts to gather before asking again; null when the decision is final.</summary>
    public FactsNeeded? Needs { get; init; }

    public static Decision Refuse(DispatchOutcome outcome, string detail) => new() { Refusal = new Refusal(outcome, detail) };

    /// <summary>A repeat of something already done: no change, but the effects of the current state are due again.</summary>
    public static Decision Repeat(RequestEffects effects) => new() { Effects = effects };

    public static Decision Need(FactsNeeded needs) => new() { Needs = needs };
}

/// <summary>Why a command was refused, as the caller hears it.</summary>
public sealed record Refusal(DispatchOutcome Outcome, string Detail);

/// <summary>
/// Facts the model asks for: the candidates of a round (the query is built from the state the round will
/// have), the station of the place, a volunteer (and whether they have room, taking <see cref="Force"/> into account).
/// </summary>
public sealed record FactsNeeded
{
    public CandidateQuery? Candidates { get; init; }

    /// <summary>The place whose station is wanted.</summary>
    public Model.GeoPoint? StationFor { get; init; }

    public Guid? Volunteer { get; init; }

    /// <summary>The family (a file id) whose paired helpers are wanted.</summary>
    public Guid? PairedOf { get; init; }

    /// <summary>A helper preferred beside the family's paired ones (a care plan's), wanted with them.</summary>
    public Guid? Preferred { get; init; }

    /// <summary>With <see cref="Volunteer"/>: room is not required (a coordinator's forced assignment).</summary>
    public bool Force { get; init; }
}

/// <summary>
/// Effects of a stored decision, each idempotent so that carrying them out again (a retry, a new activation)
/// does no harm: offers and withdrawals for the live pages, the volunteers' loads. (A deadline needs no effect: it is a
/// column of the stored state, which the <see cref="DeadlineSweeper"/> finds when it is due.)
/// </summary>
public sealed record RequestEffects
{
    public static RequestEffects None { get; } = new();

    /// <summary>Volunteers newly offered the request (their offers are in the next state).</summary>
    public Guid[] Offer { get; init; } = [];

    /// <summary>Volunteers whose offer is gone, and why.</summary>
    public Guid[] Withdraw { get; init; } = [];

    public string WithdrawReason { get; init; } = "";

    /// <summary>Coordinators, the operator and the assignee hear the request changed.</summary>
    public bool Announce { get; init; }

    /// <summary>A volunteer no longer involved who must also hear of the change (released, replaced).</summary>
    public Guid? AlsoTell { get; init; }

    /// <summary>The volunteer who now carries the request.</summary>
    public Guid? TakeOn { get; init; }

    /// <summary>Volunteers who no longer carry it; <c>Completed</c> counts it as their service.</summary>
    public LetGo[] LetGo { get; init; } = [];

    public bool IsEmpty => Offer.Length == 0 && Withdraw.Length == 0 && !Announce && TakeOn is null && LetGo.Length == 0;
}

/// <summary>A volunteer lets go of the request.</summary>
public sealed record LetGo(Guid VolunteerId, bool Completed);
