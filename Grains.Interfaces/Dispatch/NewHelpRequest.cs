using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// What the hotline operator records for a new request — or what a care plan's reminder records for one of its
/// occurrences: then <see cref="CarePlanId"/>, the plan's <see cref="PreferredVolunteerId"/> (offered first, beside
/// the family's paired helpers) and the visit's window are set.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.NewHelpRequest")]
public sealed record NewHelpRequest(
    [property: Id(0)] Guid? WorkerId,
    [property: Id(1)] string CallerPhone,
    [property: Id(2)] HelpCategory Category,
    [property: Id(3)] Urgency Urgency,
    [property: Id(4)] GeoPoint Position,
    [property: Id(5)] string Address,
    [property: Id(6)] string Description)
{
    /// <summary>The care plan this request is an occurrence of.</summary>
    [Id(7)] public Guid? CarePlanId { get; init; }

    /// <summary>The helper the plan prefers: offered the request first, with the family's paired helpers.</summary>
    [Id(8)] public Guid? PreferredVolunteerId { get; init; }

    /// <summary>When the visit is wanted (a care plan's window): the assignee has until then to set off.</summary>
    [Id(9)] public DateTimeOffset? WindowFrom { get; init; }

    [Id(10)] public DateTimeOffset? WindowTo { get; init; }
}
