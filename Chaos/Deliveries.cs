using System.Collections.Concurrent;

namespace Outreach.Chaos;

/// <summary>How a volunteer learnt of an offer.</summary>
[Flags]
public enum Via
{
    None = 0,
    Socket = 1,
    Resync = 2,
}

/// <summary>Every offer the volunteers learnt of (by request and volunteer), and when each socket offer arrived.</summary>
public sealed class Deliveries
{
    private readonly ConcurrentDictionary<(Guid Request, Guid Volunteer), Via> _seen = new();
    private readonly ConcurrentQueue<DateTimeOffset> _socketTimes = new();

    public void Add(Guid request, Guid volunteer, Via via)
    {
        _seen.AddOrUpdate((request, volunteer), via, (_, old) => old | via);
        if (via == Via.Socket)
            _socketTimes.Enqueue(DateTimeOffset.UtcNow);
    }

    public Via Of(Guid request, Guid volunteer) => _seen.GetValueOrDefault((request, volunteer));

    /// <summary>
    /// The gap in offers on the sockets around <paramref name="at"/>: from the last offer delivered before it to
    /// the first one after it (null when none came after, within the run so far).
    /// </summary>
    public TimeSpan? GapAround(DateTimeOffset at)
    {
        var times = _socketTimes.ToArray();
        var before = times.Where(t => t <= at).DefaultIfEmpty(at).Max();
        var after = times.Where(t => t > at).ToArray();
        return after.Length == 0 ? null : after.Min() - before;
    }
}

/// <summary>Who was told 200 on a claim, per request.</summary>
public sealed class ClaimBook
{
    private readonly ConcurrentDictionary<Guid, ConcurrentBag<Guid>> _winners = new();

    public void Won(Guid request, Guid volunteer) => _winners.GetOrAdd(request, _ => []).Add(volunteer);

    public Guid[] WinnersOf(Guid request) => _winners.TryGetValue(request, out var w) ? [.. w.Distinct()] : [];

    /// <summary>Status reports (EnRoute, OnSite, Completed) the assignee could not make, even after retries.</summary>
    public ConcurrentBag<(Guid Request, string Step, string Answer)> StuckAdvances { get; } = [];
}
