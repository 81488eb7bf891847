using Outreach.Model;

namespace Outreach.Care;

/// <summary>
/// What an operator or coordinator writes into a care plan (standing need): what is needed, when
/// (<see cref="Schedule"/>), where, and who is preferred to help (offered each occurrence first, beside the family's
/// paired helpers).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.CarePlanInput")]
public sealed record CarePlanInput(
    [property: Id(0)] HelpCategory Category,
    [property: Id(1)] Urgency Urgency,
    [property: Id(2)] CareSchedule Schedule,
    [property: Id(3)] GeoPoint Position,
    [property: Id(4)] string Address,
    [property: Id(5)] string Notes,
    [property: Id(6)] Guid? PreferredVolunteerId);

/// <summary>
/// A family's care plan as stored. <see cref="LastCreated"/> is the date of the latest occurrence made into a request
/// (null before the first); a <see cref="Deleted"/> plan makes no more, and its past occurrences stay as they are.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.CarePlan")]
public sealed record CarePlan(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid WorkerId,
    [property: Id(2)] CarePlanInput Data,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] bool Deleted,
    [property: Id(6)] DateOnly? LastCreated,
    [property: Id(7)] string UpdatedBy);

/// <summary>What saving a plan came to.</summary>
[GenerateSerializer]
public enum CarePlanSaveOutcome
{
    Saved,

    /// <summary>The plan id belongs to another family's file.</summary>
    OtherFamily,

    /// <summary>The plan was deleted; a deleted plan is not brought back.</summary>
    Deleted,
}

/// <summary>The answer to a save: the plan as stored (null unless <see cref="CarePlanSaveOutcome.Saved"/>) and whether it was new.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.CarePlanSaved")]
public sealed record CarePlanSaved(
    [property: Id(0)] CarePlanSaveOutcome Outcome,
    [property: Id(1)] CarePlan? Plan,
    [property: Id(2)] bool Created);

/// <summary>
/// One care plan (key: the plan id). It owns the plan and a durable reminder that makes each occurrence into an
/// ordinary help request (carrying the plan's id) <c>Care:CreateAhead</c> before its window opens, surviving restarts.
/// </summary>
[Alias("Outreach.ICarePlanGrain")]
public interface ICarePlanGrain : IGrainWithGuidKey
{
    /// <summary>The plan, or null when none was saved under this id (a deleted plan is returned, marked so).</summary>
    [Alias("Get")]
    Task<CarePlan?> GetAsync();

    /// <summary>
    /// Creates or replaces the plan of <paramref name="workerId"/>'s family; answers once it and its reminder are stored.
    /// </summary>
    [Alias("Save")]
    Task<CarePlanSaved> SaveAsync(Guid workerId, CarePlanInput input, string actor);

    /// <summary>Deletes the plan (no more occurrences; past ones stay); null when there is no such plan of that family.</summary>
    [Alias("Delete")]
    Task<CarePlan?> DeleteAsync(Guid workerId, string actor);

    /// <summary>
    /// Makes the occurrences that are due (window opening within <c>CreateAhead</c> and not yet over) into requests,
    /// as the reminder does; the ids of the requests it submitted.
    /// </summary>
    [Alias("CreateDue")]
    Task<Guid[]> CreateDueAsync();
}
