using System.Globalization;

namespace Outreach.Bench;

/// <summary>Nearest-rank percentiles of a sample in milliseconds.</summary>
public sealed class Percentiles
{
    private readonly double[] _sorted;

    public Percentiles(IEnumerable<double> sample)
    {
        _sorted = [.. sample];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double At(double percent)
    {
        if (_sorted.Length == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    /// <summary>"p50 / p95 / p99 / max" in ms.</summary>
    public string Summary(bool withMax = true)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{At(50),7:0.0} {At(95),7:0.0} {At(99),7:0.0}");
        return withMax ? head + string.Create(CultureInfo.InvariantCulture, $" {Max,7:0.0}") : head;
    }

    public static double Ms(long fromTicks, long toTicks) => (toTicks - fromTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
