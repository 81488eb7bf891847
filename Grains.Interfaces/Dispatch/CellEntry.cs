using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// An on-duty volunteer as the geographic index holds them: enough to run the circle test, and the services they
/// completed lately (<see cref="RecentService"/>, kept by their grain for the last days), so ranking them by fatigue
/// costs no query per candidate.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.CellEntry")]
public sealed record CellEntry(
    [property: Id(0)] Guid VolunteerId,
    [property: Id(1)] string Name,
    [property: Id(2)] GeoPoint Position,
    [property: Id(3)] DateTimeOffset PositionAt,
    [property: Id(4)] HelpCategory[] Skills,
    [property: Id(5)] TravelMode TravelMode,
    [property: Id(6)] int Capacity,
    [property: Id(7)] int Load,
    [property: Id(8)] ServiceCredit[]? RecentService = null);
