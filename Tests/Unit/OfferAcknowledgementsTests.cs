using Microsoft.Extensions.Logging.Abstractions;
using Outreach.Reach;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Push;

namespace Outreach.Tests.Unit;

/// <summary>
/// The web node's acknowledgements of offers ("this device showed it"): those of one request that arrive together go
/// to its reach grain in one call, not one per phone; a call that fails fails every acknowledgement it carried.
/// </summary>
[Category(TestCategory.Unit)]
public sealed class OfferAcknowledgementsTests
{
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task FiftyPhonesAcknowledgingOneRequestTogether_AreToldInOneCall_EachOnce()
    {
        var (acknowledgements, told) = Recording();
        var request = Guid.NewGuid();
        Guid[] phones = [.. Enumerable.Range(0, 50).Select(_ => Guid.NewGuid())];

        var waiting = phones.Select(p => acknowledgements.AcknowledgeAsync(request, p, ReachChannel.Socket))
            .Append(acknowledgements.AcknowledgeAsync(request, phones[0], ReachChannel.Socket)) // the page said it twice
            .Append(acknowledgements.AcknowledgeAsync(request, phones[1], ReachChannel.Push))
            .ToArray();
        Assert.Empty(told);
        await Task.WhenAll(waiting);

        var (to, seen) = Assert.Single(told);
        Assert.Equal(request, to);
        Assert.Equal(51, seen.Length);
        Assert.Equal(phones.Order(), seen.Where(s => s.Channel == ReachChannel.Socket).Select(s => s.VolunteerId).Order());
        Assert.Contains(new OfferSeen(phones[1], ReachChannel.Push), seen);
    }

    [Fact]
    public async Task EachRequestHasItsOwnBatch_AndOneAfterATellStartsANewOne()
    {
        var (acknowledgements, told) = Recording();
        var (first, second, volunteer) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await Task.WhenAll(
            acknowledgements.AcknowledgeAsync(first, volunteer, ReachChannel.Socket),
            acknowledgements.AcknowledgeAsync(second, volunteer, ReachChannel.Socket));
        await acknowledgements.AcknowledgeAsync(first, volunteer, ReachChannel.Push);

        Assert.Equal(3, told.Count);
        Assert.Equal(new[] { first, second }.Order(), told.Take(2).Select(t => t.Request).Order());
        Assert.Equal(first, told[2].Request);
        Assert.Equal([new OfferSeen(volunteer, ReachChannel.Push)], told[2].Seen);
    }

    [Fact]
    public async Task ACallThatFails_FailsEveryAcknowledgementItCarried()
    {
        var acknowledgements = new OfferAcknowledgements((_, _) => Task.FromException(new TimeoutException("the silo did not answer")),
            Linger, NullLogger.Instance);
        var request = Guid.NewGuid();

        var one = acknowledgements.AcknowledgeAsync(request, Guid.NewGuid(), ReachChannel.Socket);
        var two = acknowledgements.AcknowledgeAsync(request, Guid.NewGuid(), ReachChannel.Socket);

        await Assert.ThrowsAsync<TimeoutException>(() => one);
        await Assert.ThrowsAsync<TimeoutException>(() => two);
    }

    /// <summary>Acknowledgements whose calls to the reach grain are only written down, in order.</summary>
    private static (OfferAcknowledgements Acknowledgements, List<(Guid Request, OfferSeen[] Seen)> Told) Recording()
    {
        var told = new List<(Guid Request, OfferSeen[] Seen)>();
        return (new OfferAcknowledgements((request, seen) =>
        {
            lock (told)
                told.Add((request, seen));
            return Task.CompletedTask;
        }, Linger, NullLogger.Instance), told);
    }
}
