using System.Collections.Concurrent;

namespace Outreach.Bench;

/// <summary>Every <c>offer</c> the connected volunteers received: which request, which client, when (Stopwatch ticks).</summary>
public sealed class OfferLog
{
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<(int Client, long At)>> _byRequest = new();

    public void Add(Guid requestId, int client, long at) =>
        _byRequest.GetOrAdd(requestId, _ => new ConcurrentQueue<(int, long)>()).Enqueue((client, at));

    /// <summary>The offers of one request received so far.</summary>
    public IReadOnlyCollection<(int Client, long At)> Of(Guid requestId) =>
        _byRequest.TryGetValue(requestId, out var offers) ? offers.ToArray() : [];

    /// <summary>Waits until <paramref name="count"/> clients received the offer of a request, or the timeout passes.</summary>
    public async Task<int> WaitForAsync(Guid requestId, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var received = Of(requestId).Count;
            if (received >= count || DateTime.UtcNow >= deadline)
                return received;
            await Task.Delay(5);
        }
    }
}
