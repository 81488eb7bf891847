using Outreach.Live;

namespace Outreach.Contracts;

/// <summary>Payload of <c>volunteerMoved</c> and <c>volunteerDuty</c> (coordinators' map).</summary>
public sealed record VolunteerEvent(long Seq, Guid VolunteerId, string Name, PositionDto? Position, bool OnDuty, DateTimeOffset At)
{
    public static VolunteerEvent From(long seq, VolunteerChange change) => new(
        seq, change.VolunteerId, change.Name, change.Position is { } p ? PositionDto.From(p) : null, change.OnDuty, change.At);
}
