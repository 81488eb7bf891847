namespace Outreach.Bench;

/// <summary>Everything measured at one population size.</summary>
public sealed record StepResult(
    int Volunteers,
    double SetupSeconds,
    LoadResult Load,
    ResourceSnapshot Used,
    (double RssMiB, double PeakMiB)? SiloMemory,
    (double RssMiB, double PeakMiB)? WebMemory)
{
    /// <summary>The measured intake on the monotonic clock every process shares (laid over the servers' stop logs).</summary>
    public RaceWindow Measured { get; init; }

    /// <summary>CPU milliseconds per created request.</summary>
    public double PerRequestMs(double cpuSeconds) => Load.Created == 0 ? double.NaN : cpuSeconds * 1000 / Load.Created;
}
