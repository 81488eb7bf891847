using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>What the hotline operator records for a new request.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.NewHelpRequest")]
public sealed record NewHelpRequest(
    [property: Id(0)] Guid? WorkerId,
    [property: Id(1)] string CallerPhone,
    [property: Id(2)] HelpCategory Category,
    [property: Id(3)] Urgency Urgency,
    [property: Id(4)] GeoPoint Position,
    [property: Id(5)] string Address,
    [property: Id(6)] string Description);
