using System.ComponentModel.DataAnnotations;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>The rules of the circle and the deadlines (configuration section <c>Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    public const string Section = CircleSetting.Section;

    /// <summary>A volunteer is in the circle when their estimated travel time is at most this (15分钟服务圈).</summary>
    [Range(1, 240)]
    public double CircleMinutes { get; set; } = CircleSetting.DefaultMinutes;

    /// <summary>The circle after escalation (no claim in time, or a coordinator's re-offer).</summary>
    [Range(1, 480)]
    public double WidenedCircleMinutes { get; set; } = 30;

    /// <summary>Straight-line distance times this factor approximates the distance along streets.</summary>
    [Range(1.0, 3.0)]
    public double DetourFactor { get; set; } = 1.3;

    /// <summary>Speeds of the travel modes in km/h.</summary>
    [Range(1, 30)]
    public double WalkKmh { get; set; } = 4.5;

    [Range(1, 50)]
    public double BikeKmh { get; set; } = 12;

    [Range(1, 60)]
    public double EBikeKmh { get; set; } = 18;

    [Range(1, 120)]
    public double CarKmh { get; set; } = 25;

    /// <summary>At most this many volunteers (the nearest by ETA) are offered one request at once.</summary>
    [Range(1, 1000)]
    public int MaxOffers { get; set; } = 50;

    /// <summary>A position older than this is too stale to offer anything on.</summary>
    public TimeSpan PositionMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Without a claim within this time, an emergency request escalates.</summary>
    public TimeSpan EmergencyClaimDeadline { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Without a claim within this time, an urgent request escalates.</summary>
    public TimeSpan UrgentClaimDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Without a claim within this time, a routine request escalates.</summary>
    public TimeSpan RoutineClaimDeadline { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A claimed request whose volunteer has not set off within this time is offered again.</summary>
    public TimeSpan EnRouteDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Fatigue-aware ranking: a candidate's ETA is lengthened, for ranking only, by up to this many minutes in proportion
    /// to the minutes they served in the last <see cref="FatigueWindow"/> (0 turns it off; ties always go to who served less).
    /// </summary>
    [Range(0, 30)]
    public double FatigueMarginMinutes { get; set; } = 2;

    /// <summary>Served minutes in the window at which the whole margin applies (service beyond it adds nothing more).</summary>
    [Range(1, 10_000)]
    public double FatigueFullMinutes { get; set; } = 120;

    /// <summary>How far back a volunteer's service counts for ranking.</summary>
    public TimeSpan FatigueWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often each silo looks for open requests whose stored deadline has run out (<see cref="DeadlineSweeper"/>):
    /// a deadline is acted on at most this long after it passes (and a failed attempt is tried again as late).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan DeadlineSweep { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The claim deadline of an urgency.</summary>
    public TimeSpan ClaimDeadline(Urgency urgency) => urgency switch
    {
        Urgency.Emergency => EmergencyClaimDeadline,
        Urgency.Urgent => UrgentClaimDeadline,
        _ => RoutineClaimDeadline,
    };

    /// <summary>The speed of a travel mode in metres per second.</summary>
    public double MetresPerSecond(TravelMode mode) => mode switch
    {
        TravelMode.Walk => WalkKmh,
        TravelMode.Bike => BikeKmh,
        TravelMode.EBike => EBikeKmh,
        _ => CarKmh,
    } / 3.6;

    /// <summary>The fastest speed of any mode, in metres per second: it bounds how far a circle reaches.</summary>
    public double FastestMetresPerSecond => Math.Max(Math.Max(WalkKmh, BikeKmh), Math.Max(EBikeKmh, CarKmh)) / 3.6;
}
