using Outreach.Model;

namespace Outreach.Grains.Dispatch;

/// <summary>Standing care: the paired helper's exclusive window (configuration section <c>Care</c>).</summary>
public sealed class CareOptions
{
    public const string Section = "Care";

    /// <summary>How long a request is offered to the family's paired helper alone before the whole circle, per urgency.</summary>
    public PairedWindowOptions PairedWindow { get; set; } = new();

    /// <summary>
    /// How long before its window a care plan's occurrence becomes a request (<c>Care__CreateAhead</c>): time for the
    /// preferred helper, then the circle, to claim it before the visit is due.
    /// </summary>
    public TimeSpan CreateAhead { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// After a care plan failed to make its due occurrences (the database away), how soon it tries again, and again
    /// until it succeeds (<c>Care__RetryAfterFailure</c>).
    /// </summary>
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The exclusive window of an urgency (zero: the circle at once).</summary>
    public TimeSpan PairedWindowOf(Urgency urgency) => urgency switch
    {
        Urgency.Emergency => PairedWindow.Emergency,
        Urgency.Urgent => PairedWindow.Urgent,
        _ => PairedWindow.Routine,
    };
}

/// <summary>The paired helper's exclusive window per urgency (<c>Care__PairedWindow__Routine</c> / <c>__Urgent</c> / <c>__Emergency</c>).</summary>
public sealed class PairedWindowOptions
{
    public TimeSpan Routine { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan Urgent { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Emergencies go to everyone at once.</summary>
    public TimeSpan Emergency { get; set; } = TimeSpan.Zero;
}
