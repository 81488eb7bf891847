using Outreach.Model;

namespace Outreach.Dispatch;

/// <summary>
/// The service circle's rule as configured: ETA = straight-line metres × <see cref="DetourFactor"/> ÷ the mode's
/// speed; a position older than <see cref="PositionMaxAge"/> is stale; at most <see cref="MaxOffers"/> candidates.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.CircleRule")]
public sealed record CircleRule(
    [property: Id(0)] double CircleMinutes,
    [property: Id(1)] double DetourFactor,
    [property: Id(2)] double[] MetresPerSecondByMode,
    [property: Id(3)] TimeSpan PositionMaxAge,
    [property: Id(4)] int MaxOffers)
{
    /// <summary>The speed of a travel mode in metres per second.</summary>
    public double MetresPerSecond(TravelMode mode) => MetresPerSecondByMode[(int)mode];

    /// <summary>How far (straight-line metres) a volunteer travelling by <paramref name="mode"/> reaches within the circle.</summary>
    public double ReachM(TravelMode mode) => MetresPerSecond(mode) * CircleMinutes * 60 / DetourFactor;
}
