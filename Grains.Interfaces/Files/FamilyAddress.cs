using Outreach.Model;

namespace Outreach.Files;

/// <summary>A place where the family can be found, with its position for the map.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.FamilyAddress")]
public sealed record FamilyAddress(
    [property: Id(0)] string Label,
    [property: Id(1)] string Text,
    [property: Id(2)] GeoPoint Position);
