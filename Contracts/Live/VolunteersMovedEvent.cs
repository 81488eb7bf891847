namespace Outreach.Contracts;

/// <summary>Payload of <c>volunteersMoved</c>: the moves of the last second inside a map's view, each volunteer's latest.</summary>
public sealed record VolunteersMovedEvent(long Seq, VolunteerEvent[] Volunteers);
