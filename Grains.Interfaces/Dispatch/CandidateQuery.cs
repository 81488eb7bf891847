using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>What a request asks a geographic cell: who could be at this place within this many minutes.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.CandidateQuery")]
public sealed record CandidateQuery(
    [property: Id(0)] GeoPoint Position,
    [property: Id(1)] HelpCategory Skill,
    [property: Id(2)] double CircleMinutes,
    [property: Id(3)] Guid[] Excluded,
    [property: Id(4)] bool IgnoreCapacity = false);
