using System.Diagnostics;

namespace Outreach.Bench;

/// <summary>What one run of the offer-latency phase measured.</summary>
public sealed record LoadResult(
    int Sent,
    int Created,
    IReadOnlyList<string> Errors,
    double Seconds,
    Percentiles Post,
    Percentiles Offer,
    double MeanOffered,
    double MaxSendLagMs)
{
    public double AchievedPerSecond => Created / Seconds;
}

/// <summary>
/// Open-loop load: requests are sent on a fixed schedule (request i at start + i/rate), whether or not earlier
/// ones were answered, at random places in the box. Each offer a connected volunteer receives is matched to
/// its request by id afterwards, so offers that arrive before the POST's answer are counted too.
/// </summary>
public sealed class OfferLoad(Hotline hotline, OfferLog offers, City city)
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(3);

    public async Task<LoadResult> RunAsync(string phase, int rate, int seconds)
    {
        var total = rate * seconds;
        var run = await OpenLoop.RunAsync(total, rate, i => hotline.PostAsync($"{phase}-{i}", city.AnyPlace(), city.AnyLoadCategory()));
        var (answers, maxLag, elapsed) = (run.Answers, run.MaxSendLagMs, run.Seconds);
        await Task.Delay(Drain); // offers still on their way

        var created = answers.Where(a => a.RequestId is not null).ToList();
        ReportSlow(phase, answers);
        var latencies = created.SelectMany(a => offers.Of(a.RequestId!.Value).Select(o => Percentiles.Ms(a.SentAt, o.At)));
        return new LoadResult(
            total,
            created.Count,
            [.. answers.Where(a => a.Error is not null).Select(a => a.Error!)],
            Math.Max(seconds, elapsed),
            new Percentiles(created.Select(a => a.Ms)),
            new Percentiles(latencies),
            created.Count == 0 ? 0 : created.Average(a => a.OfferedCount),
            maxLag);
    }

    /// <summary>An answer slower than this is listed by when it was sent.</summary>
    public const double SlowMs = 100;

    /// <summary>When the slow answers were sent: one moment (a pause somewhere) or throughout (a queue).</summary>
    private static void ReportSlow(string phase, Intake[] answers)
    {
        if (answers.Length == 0)
            return;
        var first = answers.Min(a => a.SentAt);
        var slow = answers.Where(a => a.Ms > SlowMs).OrderBy(a => a.SentAt).ToList();
        if (slow.Count == 0)
            return;
        var worst = slow.MaxBy(a => a.Ms)!;
        double At(Intake a) => Percentiles.Ms(first, a.SentAt) / 1000;
        Console.WriteLine($"    {phase}: {slow.Count} answers slower than {SlowMs:0} ms, sent between {At(slow[0]):0.0} s and {At(slow[^1]):0.0} s "
            + $"(the slowest {worst.Ms:0} ms, sent at {At(worst):0.0} s)");
    }
}
