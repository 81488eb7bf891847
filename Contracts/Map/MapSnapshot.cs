using Outreach.Model;
using Outreach.Volunteers;

namespace Outreach.Contracts;

/// <summary>A volunteer on the coordinators' map (from the dispatch cell that holds them).</summary>
public sealed record MapVolunteer(
    Guid VolunteerId, string Name, PositionDto? Position, bool OnDuty, DateTimeOffset? At,
    HelpCategory[] Skills, TravelMode TravelMode, int Load, int Capacity);

/// <summary>
/// One page of what the live map and the queue show, as of <see cref="Seq"/>: the stations and the open requests oldest
/// first (at most 500 a page); <see cref="Next"/> is the cursor of the next page (null on the last). Apply hub events
/// with a higher seq than the first page's on top. The volunteers are in <c>GET /api/map/view</c>.
/// </summary>
public sealed record MapSnapshot(long Seq, StationResponse[] Stations, RequestDto[] Requests, Guid? Next);
