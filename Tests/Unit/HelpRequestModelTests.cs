using Outreach.Dispatch;
using Outreach.Grains.Dispatch;
using Outreach.Model;
using static Outreach.Tests.Unit.HelpRequestModelScene;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// <see cref="HelpRequest"/> without a server: intake, notes, the standing effects, the commands on a request
/// that does not exist, and the property the grain relies on (the current state is never changed).
/// The other commands have their own files (HelpRequestModel*Tests).
/// </summary>
[Category(TestCategory.Unit)]
public sealed class HelpRequestModelTests
{
    private static readonly ModelVolunteer Li = ModelVolunteer.Named("Li", 4);
    private static readonly ModelVolunteer Wang = ModelVolunteer.Named("Wang", 7);
    private static readonly ModelVolunteer Zhao = ModelVolunteer.Named("Zhao", 11);

    [Fact]
    public void Submit_WithoutFacts_AsksForStationAndCandidatesInTheConfiguredCircle()
    {
        var needs = Needs(Decide(new HelpRequestState(), new SubmitCommand(Operator, Request()), Facts(0)));

        Assert.Equal(Family, needs.StationFor);
        var query = Assert.IsType<CandidateQuery>(needs.Candidates);
        Assert.Equal(Family, query.Position);
        Assert.Equal(HelpCategory.Medicine, query.Skill);
        Assert.Equal(Options.CircleMinutes, query.CircleMinutes);
        Assert.Empty(query.Excluded);
        Assert.False(query.IgnoreCapacity);
        Assert.Null(needs.Volunteer);
    }

    [Fact]
    public void Submit_WithOnlySomeOfTheFacts_AsksAgain()
    {
        var submit = new SubmitCommand(Operator, Request());

        var withoutStation = Needs(Decide(new HelpRequestState(), submit, WithCandidates(0, Li)));
        var withoutCandidates = Needs(Decide(new HelpRequestState(), submit, new RequestFacts(At(0)) { StationKnown = true, StationId = Station }));

        Assert.Equal(Family, withoutStation.StationFor);
        Assert.NotNull(withoutCandidates.Candidates);
    }

    [Fact]
    public void Submit_WithFacts_RecordsNewThenOffered()
    {
        var next = Changed(Decide(new HelpRequestState(), new SubmitCommand(Operator, Request()), Intake(0, Li, Wang)));

        Assert.Equal(RequestStatus.Offered, next.Status);
        Assert.Equal(Request(), next.Request);
        Assert.Equal(Operator.AccountId, next.CreatedBy);
        Assert.Equal(Now, next.CreatedAt);
        Assert.Equal(Station, next.StationId);
        Assert.Equal(Options.CircleMinutes, next.CircleMinutes);
        Assert.False(next.Escalated);
        Assert.Equal(2, next.Version);
        Assert.Null(next.AssignedVolunteerId);
        Assert.Null(next.ClosedAt);
        Assert.Collection(next.Timeline,
            recorded =>
            {
                Assert.Equal((RequestStatus.New, RequestStatus.New, "recorded", "Olga", Now),
                    (recorded.From, recorded.To, recorded.Event, recorded.Actor, recorded.At));
                Assert.Equal("recorded by the hotline", recorded.Note);
            },
            offered =>
            {
                Assert.Equal((RequestStatus.New, RequestStatus.Offered, "offered"), (offered.From, offered.To, offered.Event));
                Assert.Equal("offered to 2 volunteer(s) within 15 min", offered.Note);
                Assert.Equal("2", offered.Details!["count"]);
                Assert.Equal("15", offered.Details["minutes"]);
            });
    }

    [Fact]
    public void Submit_WithFacts_OffersToEveryCandidate()
    {
        var next = Changed(Decide(new HelpRequestState(), new SubmitCommand(Operator, Request()), Intake(0, Li, Wang)));

        SameVolunteers([Li, Wang], next.Offers.Keys);
        Assert.Equal(new OfferRecord(Li.EtaMinutes, Li.Candidate.DistanceM, Now), next.Offers[Li.Id]);
        Assert.Equal(new OfferRecord(Wang.EtaMinutes, Wang.Candidate.DistanceM, Now), next.Offers[Wang.Id]);
    }

    [Theory]
    [InlineData(Urgency.Emergency, 2)]
    [InlineData(Urgency.Urgent, 5)]
    [InlineData(Urgency.Routine, 15)]
    public void Submit_WithFacts_DeadlineIsTheClaimDeadlineOfTheUrgency(Urgency urgency, double minutes)
    {
        var next = Changed(Decide(new HelpRequestState(), new SubmitCommand(Operator, Request(urgency)), Intake(0, Li)));

        Assert.Equal(At(minutes), next.DeadlineAt);
    }

    [Fact]
    public void Submit_WithFacts_OffersAndAnnounces()
    {
        var effects = Decide(new HelpRequestState(), new SubmitCommand(Operator, Request()), Intake(0, Li, Wang)).Effects;

        SameVolunteers([Li, Wang], effects.Offer);
        Assert.True(effects.Announce);
        Assert.Empty(effects.Withdraw);
        Assert.Empty(effects.LetGo);
        Assert.Null(effects.TakeOn);
        Assert.Null(effects.AlsoTell);
    }

    [Fact]
    public void Submit_WhenNoStationAndNobodyInTheCircle_IsOfferedToNobody()
    {
        var decision = Decide(new HelpRequestState(), new SubmitCommand(Operator, Request()),
            new RequestFacts(At(0)) { StationKnown = true, StationId = null, Candidates = [] });

        var next = Changed(decision);
        Assert.Equal(RequestStatus.Offered, next.Status);
        Assert.Null(next.StationId);
        Assert.Empty(next.Offers);
        Assert.Empty(decision.Effects.Offer);
        Assert.Equal("offered to 0 volunteer(s) within 15 min", next.Timeline[^1].Note);
    }

    [Fact]
    public void Submit_RepeatedWhileOffered_ChangesNothingAndOffersTheStandingOffersAgain()
    {
        var offered = Offered(Li, Wang);

        var effects = Repeated(Decide(offered, new SubmitCommand(Operator, Request()), Intake(5, Zhao)));

        SameVolunteers([Li, Wang], effects.Offer);
        Assert.Null(effects.TakeOn);
    }

    [Fact]
    public void Submit_RepeatedAfterAClaim_TheAssigneeTakesItOnAgain()
    {
        var effects = Repeated(Decide(Claimed(Li, Wang), new SubmitCommand(Operator, Request()), Facts(5)));

        Assert.Equal(Li.Id, effects.TakeOn);
        Assert.Empty(effects.Offer);
    }

    [Fact]
    public void Submit_RepeatedWhileEnRoute_TheAssigneeCarriesItAgain()
    {
        var effects = Repeated(Decide(EnRoute(Li), new SubmitCommand(Operator, Request()), Facts(5)));

        Assert.Equal(Li.Id, effects.TakeOn);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Submit_RepeatedOnAClosedRequest_HasNothingToDo(RequestStatus status)
    {
        var effects = Repeated(Decide(InStatus(status, Li, Wang), new SubmitCommand(Operator, Request()), Intake(9, Li)));

        Assert.True(effects.IsEmpty);
    }

    [Theory]
    [InlineData(RequestStatus.Offered)]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Note_AddsATimelineLine_AndKeepsTheStatus(RequestStatus status)
    {
        var current = InStatus(status, Li, Wang);

        var decision = Decide(current, new NoteCommand(Coordinator, "the family called again"), Facts(9));

        var next = Changed(decision);
        Assert.Equal(status, next.Status);
        Assert.Equal(current.Version + 1, next.Version);
        Assert.Equal(current.Timeline.Count + 1, next.Timeline.Count);
        Assert.Equal(new TimelineEntry(At(9), "Chen", status, status, "the family called again", ActorId: Coordinator.AccountId), next.Timeline[^1]);
        Assert.Equal(current.DeadlineAt, next.DeadlineAt);
        Assert.Equal(current.AssignedVolunteerId, next.AssignedVolunteerId);
        Assert.Empty(decision.Effects.Offer);
        Assert.Empty(decision.Effects.Withdraw);
        Assert.Empty(decision.Effects.LetGo);
        Assert.Null(decision.Effects.TakeOn);
    }

    [Fact]
    public void Standing_WhenOffered_TheOffersStand()
    {
        var standing = HelpRequest.Standing(Offered(Li, Wang));

        SameVolunteers([Li, Wang], standing.Offer);
        Assert.Null(standing.TakeOn);
        Assert.Empty(standing.Withdraw);
        Assert.Empty(standing.LetGo);
        Assert.False(standing.Announce);
    }

    [Theory]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.EnRoute)]
    [InlineData(RequestStatus.OnSite)]
    public void Standing_WhenAssigned_TheAssigneeCarriesIt(RequestStatus status)
    {
        var standing = HelpRequest.Standing(InStatus(status, Li, Wang));

        Assert.Equal(Li.Id, standing.TakeOn);
        Assert.Empty(standing.Offer);
        Assert.False(standing.Announce);
    }

    [Theory]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Cancelled)]
    public void Standing_WhenClosed_IsNothing(RequestStatus status) =>
        Assert.True(HelpRequest.Standing(InStatus(status, Li, Wang)).IsEmpty);

    [Fact]
    public void Standing_WhenCancelledAfterAClaim_IsNothing() =>
        Assert.True(HelpRequest.Standing(CancelledAfterClaim(Li, Wang)).IsEmpty);

    [Fact]
    public void Standing_WhenThereIsNoRequest_IsNothing() =>
        Assert.True(HelpRequest.Standing(new HelpRequestState()).IsEmpty);

    [Fact]
    public void Decide_AnyCommandButSubmitOrDeadline_WhenThereIsNoRequest_ReturnsNotFound()
    {
        RequestCommand[] commands =
        [
            new ClaimCommand(Li.Actor),
            new AdvanceCommand(Li.Actor, RequestStatus.EnRoute, null),
            new ReleaseCommand(Li.Actor, "flat tyre"),
            new AssignCommand(Coordinator, Li.Id, Force: true, null),
            new CancelCommand(Operator, "duplicate"),
            new FollowUpCommand(Operator, Satisfied: false, 2, null),
            new ReofferCommand(Coordinator, null),
            new NoteCommand(Operator, "hello"),
        ];
        var facts = WithCandidates(0, Li) with { Volunteer = Li.Facts(), StationKnown = true };

        Assert.All(commands, command => Refused(Decide(new HelpRequestState(), command, facts), DispatchOutcome.NotFound));
    }

    [Fact]
    public void Decide_UnknownCommand_Throws() =>
        Assert.Throws<ArgumentException>(() => Rules.Decide(Offered(Li), new UnknownCommand(), Facts(1)));

    [Fact]
    public void Decide_WithoutStateCommandOrFacts_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Rules.Decide(null!, new NoteCommand(Operator, "x"), Facts(0)));
        Assert.Throws<ArgumentNullException>(() => Rules.Decide(new HelpRequestState(), null!, Facts(0)));
        Assert.Throws<ArgumentNullException>(() => Rules.Decide(new HelpRequestState(), new NoteCommand(Operator, "x"), null!));
    }

    /// <summary>
    /// The grain keeps the current state until the next one is stored, so no decision — a change, a refusal, a
    /// question for facts, a repeat — may touch it. Every command on every status, with every fact and with none.
    /// </summary>
    [Fact]
    public void Decide_EveryCommandOnEveryStatus_LeavesTheCurrentStateAsItWas()
    {
        var states = new[]
        {
            new HelpRequestState(), Offered(Li, Wang), Claimed(Li, Wang), EnRoute(Li, Wang), OnSite(Li, Wang),
            Completed(Li, Wang), Cancelled(Li, Wang), CancelledAfterClaim(Li, Wang),
        };
        RequestCommand[] commands =
        [
            new SubmitCommand(Operator, Request()),
            new ClaimCommand(Li.Actor), new ClaimCommand(Wang.Actor), new ClaimCommand(Zhao.Actor),
            new AdvanceCommand(Li.Actor, RequestStatus.EnRoute, null), new AdvanceCommand(Li.Actor, RequestStatus.OnSite, null),
            new AdvanceCommand(Li.Actor, RequestStatus.Completed, "done"), new AdvanceCommand(Wang.Actor, RequestStatus.EnRoute, null),
            new ReleaseCommand(Li.Actor, "flat tyre"), new ReleaseCommand(Wang.Actor, "flat tyre"),
            new AssignCommand(Coordinator, Zhao.Id, Force: false, null), new AssignCommand(Coordinator, Zhao.Id, Force: true, "go"),
            new CancelCommand(Operator, "duplicate"),
            new FollowUpCommand(Operator, Satisfied: true, 5, "thanks"), new FollowUpCommand(Operator, Satisfied: false, 1, "nobody came"),
            new ReofferCommand(Coordinator, "wider"), new NoteCommand(Operator, "called back"), new DeadlineCommand(),
        ];
        RequestFacts[] facts =
        [
            Facts(30),
            Intake(30, Zhao, Wang) with { Volunteer = Zhao.Facts() },
            Intake(30, Zhao) with { Volunteer = Zhao.Facts(hasRoom: false) },
            WithVolunteer(30, new VolunteerFacts(Zhao.Id, Zhao.View(onDuty: false, skills: [HelpCategory.Meals]), HasRoom: true)),
        ];

        var decisions = 0;
        foreach (var state in states)
        {
            foreach (var command in commands)
            {
                foreach (var fact in facts)
                {
                    var before = Snapshot(state);
                    var decision = Rules.Decide(state, command, fact);
                    Assert.True(before == Snapshot(state), $"{command} on a {state.Status} request changed the current state");
                    if (decision.Next is { } next)
                    {
                        Assert.NotSame(state, next);
                        Assert.NotSame(state.Offers, next.Offers);
                        Assert.NotSame(state.Excluded, next.Excluded);
                        Assert.NotSame(state.Timeline, next.Timeline);
                    }
                    decisions++;
                }
            }
        }
        Assert.Equal(states.Length * commands.Length * facts.Length, decisions);
    }

    [Fact]
    public void Decide_ChangingTheNextState_LeavesTheCurrentStateAsItWas()
    {
        var current = Offered(Li, Wang);
        var before = Snapshot(current);

        var next = Changed(Decide(current, new ReofferCommand(Coordinator, null), WithCandidates(3, Zhao)));
        next.Offers.Clear();
        next.Excluded.Add(Li.Id);
        next.Timeline.Clear();

        Assert.Equal(before, Snapshot(current));
    }

    private sealed record UnknownCommand() : RequestCommand(Actor.System);
}
