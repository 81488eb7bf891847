using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// One recorded transition of a request: who, when, from what, to what, and why. <see cref="Note"/> is the
/// whole line in English (or, for a person's note, their words); when the system wrote it, <see cref="Event"/>
/// names what happened and <see cref="Details"/> holds its values, so a page can say it in the reader's language.
/// <see cref="ActorId"/> is the account of <see cref="Actor"/> (names are not unique; null for the system and for
/// lines written before it was kept).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.TimelineEntry")]
public sealed record TimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Actor,
    [property: Id(2)] RequestStatus From,
    [property: Id(3)] RequestStatus To,
    [property: Id(4)] string? Note,
    [property: Id(5)] string? Event = null,
    [property: Id(6)] Dictionary<string, string>? Details = null,
    [property: Id(7)] Guid? ActorId = null);
