using Outreach.Dispatch;

namespace Outreach.Live;

/// <summary>
/// One request's new offers as the grains hand them on (to the live web nodes and to the request's reach grain): the
/// view every volunteer of the round shares, once, and each volunteer's own ETA and distance. Every web node
/// receives every round and tells only the few volunteers connected to it, so it builds a volunteer's view
/// (<see cref="ViewFor"/>) only for those; fifty whole views a round were ≈ 15 % of a web node's allocations in the
/// intake (docs/PERF.md, session 26).
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("Outreach.OfferRound")]
public sealed record OfferRound([property: Id(0)] OfferView Shape, [property: Id(1)] OfferedVolunteer[] To)
{
    /// <summary>The view <paramref name="volunteer"/> is offered: the round's, with their own ETA and distance.</summary>
    public OfferView ViewFor(OfferedVolunteer volunteer) => ViewOf(Shape, volunteer.EtaMinutes, volunteer.DistanceM);

    /// <summary>A round's <paramref name="shape"/> with one volunteer's ETA and distance (the shape itself when they are its own).</summary>
    public static OfferView ViewOf(OfferView shape, double etaMinutes, double distanceM) =>
        shape.EtaMinutes == etaMinutes && shape.DistanceM == distanceM
            ? shape
            : shape with { EtaMinutes = etaMinutes, DistanceM = distanceM };

    /// <summary>
    /// Rounds of these notices, in their order: notices whose views differ only in ETA and distance share a round; a
    /// view that differs in more starts the next.
    /// </summary>
    public static OfferRound[] Of(IReadOnlyList<OfferNotice> notices)
    {
        var rounds = new List<OfferRound>();
        var i = 0;
        while (i < notices.Count)
        {
            var shape = notices[i].Offer;
            var to = new List<OfferedVolunteer>();
            for (; i < notices.Count && SameRound(shape, notices[i].Offer); i++)
                to.Add(new OfferedVolunteer(notices[i].VolunteerId, notices[i].Offer.EtaMinutes, notices[i].Offer.DistanceM));
            rounds.Add(new OfferRound(shape, [.. to]));
        }
        return [.. rounds];
    }

    /// <summary>The volunteers of these rounds.</summary>
    public static IEnumerable<Guid> VolunteersOf(IEnumerable<OfferRound> rounds) => rounds.SelectMany(r => r.To.Select(v => v.VolunteerId));

    /// <summary>Whether two views differ in nothing but ETA and distance.</summary>
    public static bool SameRound(OfferView a, OfferView b) =>
        a with { EtaMinutes = b.EtaMinutes, DistanceM = b.DistanceM } == b;
}

/// <summary>A volunteer of an <see cref="OfferRound"/>: who, and their own ETA and distance.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.OfferedVolunteer")]
public readonly record struct OfferedVolunteer(
    [property: Id(0)] Guid VolunteerId,
    [property: Id(1)] double EtaMinutes,
    [property: Id(2)] double DistanceM);
