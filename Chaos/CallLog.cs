using System.Collections.Concurrent;

namespace Outreach.Chaos;

/// <summary>One HTTP call: what, to which web node, when, how long, and how it ended (no status when it never got an answer).</summary>
public sealed record Call(string Kind, int Node, DateTimeOffset Start, DateTimeOffset End, int? Status, bool RetryAfter, string? Error)
{
    public double Seconds => (End - Start).TotalSeconds;

    /// <summary>A 5xx, or no answer at all (refused, reset, timed out).</summary>
    public bool Failed => Status is null or >= 500;

    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>Every HTTP call of the run, for the figures of a time window (the database outage).</summary>
public sealed class CallLog
{
    private readonly ConcurrentQueue<Call> _calls = new();

    public void Add(Call call) => _calls.Enqueue(call);

    /// <summary>The calls that were in flight at some moment of [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public IReadOnlyList<Call> Overlapping(DateTimeOffset from, DateTimeOffset to) =>
        [.. _calls.Where(c => c.Start <= to && c.End >= from)];

    public IReadOnlyList<Call> Between(DateTimeOffset from, DateTimeOffset to) =>
        [.. _calls.Where(c => c.Start >= from && c.Start <= to)];
}
