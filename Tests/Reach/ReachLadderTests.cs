using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;
using Outreach.Database;
using Outreach.Dispatch;
using Outreach.Grains;
using Outreach.Grains.Reach;
using Outreach.Live;
using Outreach.Model;
using Outreach.Reach;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Reach;

/// <summary>
/// The reach grain's ladder on an in-process silo with the real delivery record (PostgreSQL) and channels that
/// record what they are asked to send (the channels' own protocols are tested end to end elsewhere): which channel
/// is taken when, for whom, and that nothing is sent twice for the same step.
/// </summary>
[Category(TestCategory.Grains)]
public sealed class ReachLadderTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);
    private readonly RecordingChannels _channels = new();
    private OwnDatabaseCluster? _cluster;

    private IGrainFactory Grains => _cluster!.Grains;

    public async Task InitializeAsync()
    {
        var channels = _channels;
        _cluster = await OwnDatabaseCluster.StartAsync("reach", (silo, _) =>
        {
            silo.Services.AddOutreachReach();
            silo.Services.AddSingleton<IPushChannel>(channels);
            silo.Services.AddSingleton<IRobotChannel>(channels);
            silo.Services.AddSingleton<ISmsChannel>(channels);
            silo.Services.Configure<ReachOptions>(o =>
            {
                o.Emergency = new ReachLadder { Push = TimeSpan.Zero, Robot = TimeSpan.Zero, Sms = Step };
                o.Routine = new ReachLadder { Push = TimeSpan.Zero, Robot = Step };
            });
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Emergency_PushesAndPostsAtOnce_AndTextsOnlyWhomNoDeviceAcknowledged()
    {
        var request = View(Urgency.Emergency, RequestStatus.Offered);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var reach = Grains.GetGrain<IRequestReachGrain>(request.Id);

        await reach.NoticeAsync(new ReachNotice(request, OfferRound.Of([Offer(request, a), Offer(request, b), Offer(request, c)]), [], ""));
        await Eventually(() => _channels.Pushed(request.Id).Count == 3, "three pushes");
        await Eventually(() => _channels.Posted(request.Id).Count == 1, "the group's post");
        Assert.Empty(_channels.Texted(request.Id));
        await reach.AcknowledgeAsync(a, ReachChannel.Socket);
        await reach.AcknowledgeAsync(b, ReachChannel.Push);

        await Eventually(() => _channels.Texted(request.Id).Count > 0, "the SMS step");
        await Task.Delay(Step); // any other text would have gone by now
        Assert.Equal([c], _channels.Texted(request.Id));
        Assert.Equal(ReachEvents.Offer, _channels.Posted(request.Id)[0].Event);
        Assert.Equal(3, _channels.Posted(request.Id)[0].OfferedCount);
    }

    [Fact]
    public async Task Routine_ClaimedBeforeTheGroupsTurn_IsNeverPosted_AndTheFamilyIsToldEachStepOnce()
    {
        var request = View(Urgency.Routine, RequestStatus.Offered);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var reach = Grains.GetGrain<IRequestReachGrain>(request.Id);
        await reach.NoticeAsync(new ReachNotice(request, OfferRound.Of([Offer(request, a), Offer(request, b)]), [], ""));
        await Eventually(() => _channels.Pushed(request.Id).Count == 2, "two pushes");

        // Notices are one-way (their order is not guaranteed): each step waits for the one before to be told.
        var claimed = request with { Status = RequestStatus.Claimed, AssignedVolunteerId = a, AssignedVolunteerName = "孙志愿", Version = 2 };
        await reach.NoticeAsync(new ReachNotice(claimed, [], [b], "claimed"));
        await Eventually(() => _channels.Told(request.Id).Count == 1, "the claim told");
        await reach.NoticeAsync(new ReachNotice(claimed, [], [b], "claimed")); // the request grain repeated its effects
        var onSite = claimed with { Status = RequestStatus.OnSite, OnSiteAt = DateTimeOffset.UtcNow, Version = 3 };
        await reach.NoticeAsync(new ReachNotice(onSite, [], [], ""));
        await Eventually(() => _channels.Told(request.Id).Count == 2, "the arrival told");
        await reach.NoticeAsync(new ReachNotice(claimed, [], [], "")); // an older notice arriving late: ignored
        var done = onSite with { Status = RequestStatus.Completed, CompletedAt = DateTimeOffset.UtcNow, Version = 4 };
        await reach.NoticeAsync(new ReachNotice(done, [], [], ""));

        await Eventually(() => _channels.Told(request.Id).Count == 3, "three family messages");
        await Task.Delay(Step * 2); // past the group's step
        Assert.Equal([ReachEvents.Claimed, ReachEvents.OnSite, ReachEvents.Completed], _channels.Told(request.Id));
        Assert.Empty(_channels.Posted(request.Id));
        Assert.Equal([b], _channels.Withdrawn(request.Id));
    }

    /// <summary>
    /// The statement that stored the offers said which of the volunteers have a push device: the immediate push goes
    /// to those, without a lookup of its own (the channel here would answer "all of them" if asked).
    /// </summary>
    [Fact]
    public async Task TheImmediatePush_GoesToWhomTheSaveFoundADevice_WithoutALookupOfItsOwn()
    {
        var request = View(Urgency.Routine, RequestStatus.Offered);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var reach = Grains.GetGrain<IRequestReachGrain>(request.Id);

        await reach.NoticeAsync(new ReachNotice(request, OfferRound.Of([Offer(request, a), Offer(request, b), Offer(request, c)]), [], "",
            First: true, OffersWithDevices: [a, c]));
        await Eventually(() => _channels.Pushed(request.Id).Count == 2, "two pushes");
        await Task.Delay(Step / 2); // a third would have gone by now

        Assert.Equal(new HashSet<Guid> { a, c }, _channels.Pushed(request.Id).ToHashSet());
        Assert.Empty(_channels.LookedUp([a, b, c]));
    }

    [Fact]
    public async Task AfterReactivation_TheRecordKeepsTheFamilyFromBeingToldAgain()
    {
        var request = View(Urgency.Urgent, RequestStatus.Claimed) with { AssignedVolunteerId = Guid.NewGuid(), AssignedVolunteerName = "孙志愿" };
        var reach = Grains.GetGrain<IRequestReachGrain>(request.Id);
        await reach.NoticeAsync(new ReachNotice(request, [], [], ""));
        await Eventually(async () => (await reach.GetDeliveriesAsync()).Any(r => r.Event == ReachEvents.Claimed), "the family's message recorded");

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await reach.NoticeAsync(new ReachNotice(request, [], [], ""));
        await Task.Delay(Step);

        Assert.Equal([ReachEvents.Claimed], _channels.Told(request.Id));
    }

    [Fact]
    public async Task FirstNotice_OfAnActivation_SkipsTheRecordsRead_SoOnlyTheRequestsCreationMayBeMarkedFirst()
    {
        var request = View(Urgency.Urgent, RequestStatus.Claimed) with { AssignedVolunteerId = Guid.NewGuid(), AssignedVolunteerName = "孙志愿" };
        var reach = Grains.GetGrain<IRequestReachGrain>(request.Id);
        await reach.NoticeAsync(new ReachNotice(request, [], [], ""));
        await Eventually(async () => (await reach.GetDeliveriesAsync()).Any(r => r.Event == ReachEvents.Claimed), "the family's message recorded");

        // A new activation whose first call says "first": nothing is read, so what was done is not known.
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await reach.NoticeAsync(new ReachNotice(request, [], [], "", First: true));
        await Eventually(() => _channels.Told(request.Id).Count == 2, "the family told again");

        Assert.Equal([ReachEvents.Claimed, ReachEvents.Claimed], _channels.Told(request.Id));
    }

    [Fact]
    public async Task AChannelThatThrows_IsRecordedAsFailed_AndTheOthersStillGo()
    {
        var request = View(Urgency.Emergency, RequestStatus.Offered);
        _channels.FailRobotFor(request.Id);
        var a = Guid.NewGuid();
        var reach = Grains.GetGrain<IRequestReachGrain>(request.Id);

        await reach.NoticeAsync(new ReachNotice(request, OfferRound.Of([Offer(request, a)]), [], ""));

        await Eventually(() => _channels.Pushed(request.Id).Count == 1, "the push");
        var records = await Eventually(async () => (await reach.GetDeliveriesAsync()) is { } r && r.Any(x => x.Channel == ReachChannel.Robot) ? r : null,
            "the robot's failure recorded");
        var robot = Assert.Single(records, r => r.Channel == ReachChannel.Robot);
        Assert.Equal((DeliveryOutcomes.Failed, "HttpRequestException"), (robot.Outcome, robot.Detail));
        Assert.Contains(records, r => r is { Channel: ReachChannel.Push, Outcome: DeliveryOutcomes.Accepted } && r.VolunteerId == a);
        Assert.Contains(records, r => r is { Channel: ReachChannel.Socket, Outcome: DeliveryOutcomes.Sent } && r.VolunteerId == a);
    }

    private static HelpRequestView View(Urgency urgency, RequestStatus status) =>
        Dispatch.RequestViews.Create(DateTimeOffset.UtcNow, status, HelpCategory.Medicine, stationId: Guid.NewGuid(), version: 1)
            with { Urgency = urgency, AssignedVolunteerId = null, AssignedVolunteerName = null, ClaimedAt = null, OnSiteAt = null, EnRouteAt = null, CompletedAt = null };

    private static OfferNotice Offer(HelpRequestView request, Guid volunteer) =>
        new(volunteer, new OfferView(request.Id, request.Category, request.Urgency, 6, 800, request.Position, request.CreatedAt, request.Status));

    private static async Task Eventually(Func<bool> done, string what)
    {
        for (var i = 0; i < 100; i++)
        {
            if (done())
                return;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{what}: not within 10 s");
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> attempt, string what) where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (await attempt() is { } found)
                return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{what}: not within 10 s");
    }

    private static async Task Eventually(Func<Task<bool>> done, string what)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await done())
                return;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{what}: not within 10 s");
    }

    /// <summary>Channels that remember what they were asked to send, per request, and answer "accepted".</summary>
    private sealed class RecordingChannels : IPushChannel, IRobotChannel, ISmsChannel
    {
        private readonly ConcurrentQueue<(Guid Request, string Channel, Guid? Volunteer, string What, RobotNews? News)> _log = [];
        private readonly ConcurrentDictionary<Guid, bool> _failRobot = [];

        public void FailRobotFor(Guid request) => _failRobot[request] = true;

        public List<Guid> Pushed(Guid request) => Volunteers(request, "push");

        public List<Guid> Withdrawn(Guid request) => Volunteers(request, "withdraw");

        public List<Guid> Texted(Guid request) => Volunteers(request, "sms");

        public List<string> Told(Guid request) => [.. _log.Where(e => e.Request == request && e.Channel == "family").Select(e => e.What)];

        public List<RobotNews> Posted(Guid request) => [.. _log.Where(e => e.Request == request && e.Channel == "robot").Select(e => e.News!)];

        private List<Guid> Volunteers(Guid request, string channel) =>
            [.. _log.Where(e => e.Request == request && e.Channel == channel).Select(e => e.Volunteer!.Value)];

        private readonly ConcurrentQueue<Guid> _lookedUp = [];

        /// <summary>The volunteers whose devices were looked up (among <paramref name="volunteers"/>).</summary>
        public List<Guid> LookedUp(IEnumerable<Guid> volunteers) => [.. _lookedUp.Intersect(volunteers)];

        /// <summary>Every volunteer asked about has a device.</summary>
        public Task<IReadOnlySet<Guid>> WithDevicesAsync(IReadOnlyCollection<Guid> volunteers, CancellationToken cancellationToken)
        {
            foreach (var volunteer in volunteers)
                _lookedUp.Enqueue(volunteer);
            return Task.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid>(volunteers));
        }

        Task<DeliveryResult[]> IPushChannel.OfferAsync(Guid volunteerId, OfferView offer, CancellationToken cancellationToken) =>
            Accepted((offer.RequestId, "push", volunteerId, "offer", null));

        public Task<DeliveryResult[]> WithdrawAsync(Guid volunteerId, Guid requestId, string reason, CancellationToken cancellationToken) =>
            Accepted((requestId, "withdraw", volunteerId, reason, null));

        public Task<DeliveryResult[]> PostAsync(Guid stationId, RobotNews news, CancellationToken cancellationToken) =>
            _failRobot.ContainsKey(news.RequestId)
                ? throw new HttpRequestException("the group's robot is down")
                : Accepted((news.RequestId, "robot", null, news.Event, news));

        public Task<DeliveryResult[]> TellFamilyAsync(string familyEvent, HelpRequestView request, CancellationToken cancellationToken) =>
            Accepted((request.Id, "family", null, familyEvent, null));

        Task<DeliveryResult[]> ISmsChannel.OfferAsync(Guid volunteerId, OfferView offer, CancellationToken cancellationToken) =>
            Accepted((offer.RequestId, "sms", volunteerId, "offer", null));

        private Task<DeliveryResult[]> Accepted((Guid, string, Guid?, string, RobotNews?) entry)
        {
            _log.Enqueue(entry);
            return Task.FromResult<DeliveryResult[]>([new DeliveryResult(DeliveryOutcomes.Accepted, null)]);
        }
    }
}
