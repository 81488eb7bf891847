using Npgsql;
using Outreach.Care;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Model;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Care;

/// <summary>
/// <see cref="ICarePlanGrain"/> on the in-process cluster and PostgreSQL: a due occurrence becomes a request carrying
/// the plan (once, however often the plan is asked — also after the cluster restarts), a deleted plan makes no more
/// and keeps the requests it made, and a plan id stays with its family.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
[Category(TestCategory.Grains)]
public sealed class CarePlanGrainTests(PostgresClusterFixture fixture)
{
    private async Task<Guid> FamilyAsync()
    {
        var id = Guid.NewGuid();
        var input = new FamilyFileInput("刘建华", "13803931234", "郑州 建筑工地", [],
            [new FamilyAddress("家", "华龙区 中原路 2号院", new GeoPoint(35.7621, 115.0302))], null);
        await fixture.Client.GetGrain<IFamilyFileGrain>(id).CreateAsync(input, ["13803931234"], "test");
        return id;
    }

    /// <summary>A plan whose window opens in about ten minutes (within the default 30 minutes ahead).</summary>
    private static CarePlanInput DueSoon(Guid? preferred = null) => new(HelpCategory.Groceries, Urgency.Routine,
        CareWindows.OpeningIn(TimeSpan.FromMinutes(10)).ToSchedule(), new GeoPoint(35.7621, 115.0302), "华龙区 中原路 2号院",
        "每周买菜", preferred);

    [Fact]
    public async Task DueOccurrence_BecomesARequestCarryingThePlan_Once_AlsoAfterARestart()
    {
        var worker = await FamilyAsync();
        var planId = Guid.NewGuid();
        var preferred = Guid.NewGuid();
        var saved = await fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(worker, DueSoon(preferred), "operator");

        var made = await fixture.Client.GetGrain<ICarePlanGrain>(planId).CreateDueAsync();
        var again = await fixture.Client.GetGrain<ICarePlanGrain>(planId).CreateDueAsync();
        await fixture.RestartAsync();
        var afterRestart = await fixture.Client.GetGrain<ICarePlanGrain>(planId).CreateDueAsync();

        Assert.Equal((CarePlanSaveOutcome.Saved, true), (saved.Outcome, saved.Created));
        var requestId = Assert.Single(made);
        Assert.Empty(again);
        Assert.Empty(afterRestart);
        var plan = await fixture.Client.GetGrain<ICarePlanGrain>(planId).GetAsync();
        Assert.Equal(CareWindows.OpeningIn(TimeSpan.FromMinutes(10)).Date, plan!.LastCreated);
        var view = await fixture.Client.GetGrain<IHelpRequestGrain>(requestId).GetAsync();
        Assert.NotNull(view);
        Assert.Equal((planId, worker, HelpCategory.Groceries), (view.CarePlanId, view.WorkerId, view.Category));
        Assert.Equal("13803931234", view.CallerPhone);
        Assert.Equal(plan.LastCreated, DateOnly.FromDateTime(view.WindowFrom!.Value.ToOffset(CareSchedules.ChinaOffset).DateTime));
        Assert.Equal(CareOccurrences.RequestId(planId, plan.LastCreated!.Value), requestId);
    }

    [Fact]
    public async Task WindowFarAhead_MakesNothingYet()
    {
        var worker = await FamilyAsync();
        var planId = Guid.NewGuid();
        var later = DueSoon() with { Schedule = CareWindows.OpeningIn(TimeSpan.FromHours(3)).ToSchedule() };
        await fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(worker, later, "operator");

        var made = await fixture.Client.GetGrain<ICarePlanGrain>(planId).CreateDueAsync();

        Assert.Empty(made);
        Assert.Null((await fixture.Client.GetGrain<ICarePlanGrain>(planId).GetAsync())!.LastCreated);
    }

    [Fact]
    public async Task Pausing_WhenTheWriteFails_KeepsTheReminderOfTheStoredActivePlan()
    {
        var worker = await FamilyAsync();
        var planId = Guid.NewGuid();
        var input = DueSoon();
        var paused = input with { Schedule = input.Schedule with { Paused = true } };
        await fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(worker, input, "operator");
        Assert.Equal(1L, await RemindersOfAsync(planId));

        await using (await StorageFaults.FailWritesAsync(fixture.ConnectionString, "outreach_care_plans", $"NEW.id = '{planId}'"))
            await Assert.ThrowsAnyAsync<Exception>(() => fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(worker, paused, "operator"));

        var stored = await fixture.Client.GetGrain<ICarePlanGrain>(planId).GetAsync();
        Assert.False(stored!.Data.Schedule.Paused);
        Assert.Equal(1L, await RemindersOfAsync(planId)); // still active, so still reminded
        await fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(worker, paused, "operator");
        Assert.Equal(0L, await RemindersOfAsync(planId)); // paused for real: no reminder
    }

    [Fact]
    public async Task ReminderFiringDuringAnOutage_IsTriedAgainUntilTheDatabaseIsBack_NotAtTheNextHourlyTick()
    {
        var worker = await FamilyAsync();
        var planId = Guid.NewGuid();
        var requestId = CareOccurrences.RequestId(planId, CareWindows.OpeningIn(TimeSpan.FromMinutes(10)).Date);
        await fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(worker, DueSoon(), "operator"); // fires in 5 s
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        var attempts = "test_attempts_" + Guid.NewGuid().ToString("N")[..12];
        await using (var create = db.CreateCommand($"CREATE SEQUENCE {attempts}"))
            await create.ExecuteNonQueryAsync();

        // The occurrence's request cannot be stored (each attempt counted: a sequence is not rolled back), nor the
        // plan's reminder moved: before, the plan then waited for its hourly tick, after a window that can close sooner.
        await using (await StorageFaults.FailWritesAsync(fixture.ConnectionString, "outreach_requests", $"NEW.id = '{requestId}' AND nextval('{attempts}') > 0"))
        await using (await StorageFaults.FailWritesAsync(fixture.ConnectionString, "orleansreminderstable", $"NEW.grainid LIKE '%{planId:N}%'"))
            await ClusterWaits.UntilAsync(async () => await CountAsync(db, attempts) >= 3, "the firing and two retries during the outage", TimeSpan.FromSeconds(30));
        var request = await ClusterWaits.UntilAsync(() => fixture.Client.GetGrain<IHelpRequestGrain>(requestId).GetAsync(),
            r => r is not null, "the occurrence once the database is back", TimeSpan.FromSeconds(30));
        var plan = await ClusterWaits.UntilAsync(() => fixture.Client.GetGrain<ICarePlanGrain>(planId).GetAsync(),
            p => p?.LastCreated is not null, "the plan recording the occurrence", TimeSpan.FromSeconds(30));

        Assert.Equal(planId, request!.CarePlanId);
        Assert.Equal(CareWindows.OpeningIn(TimeSpan.FromMinutes(10)).Date, plan!.LastCreated);
        Assert.Equal(1L, await RemindersOfAsync(planId));
    }

    private static async Task<long> CountAsync(NpgsqlDataSource db, string sequence)
    {
        await using var read = db.CreateCommand($"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}");
        return (long)(await read.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task AnOccurrenceDueWithinTheHour_IsRemindedEveryFewMinutes_UntilMade_ThenHourlyAgain()
    {
        var worker = await FamilyAsync();
        var (soon, later) = (Guid.NewGuid(), Guid.NewGuid());
        await fixture.Client.GetGrain<ICarePlanGrain>(soon).SaveAsync(worker, DueSoon(), "operator");
        await fixture.Client.GetGrain<ICarePlanGrain>(later).SaveAsync(worker,
            DueSoon() with { Schedule = CareWindows.OpeningIn(TimeSpan.FromHours(3)).ToSchedule() }, "operator");

        // A tick missed while no silo held the reminder (its silo killed at that moment) is skipped by Orleans: the next
        // one must come before a short window closes, not an hour later.
        var whileDue = await ReminderPeriodAsync(soon);
        await fixture.Client.GetGrain<ICarePlanGrain>(soon).CreateDueAsync();
        var afterMade = await ReminderPeriodAsync(soon);

        Assert.Equal(TimeSpan.FromMinutes(5), whileDue);
        Assert.Equal(TimeSpan.FromHours(1), afterMade);
        Assert.Equal(TimeSpan.FromHours(1), await ReminderPeriodAsync(later));
    }

    private async Task<TimeSpan> ReminderPeriodAsync(Guid planId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var read = db.CreateCommand("SELECT period FROM orleansreminderstable WHERE grainid LIKE '%' || $1 || '%'");
        read.Parameters.Add(new NpgsqlParameter<string> { TypedValue = planId.ToString("N") });
        return TimeSpan.FromMilliseconds(Convert.ToDouble(await read.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The plan grain's durable reminders, as the reminder table keeps them.</summary>
    private async Task<long> RemindersOfAsync(Guid planId)
    {
        await using var db = NpgsqlDataSource.Create(fixture.ConnectionString);
        await using var count = db.CreateCommand("SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%' || $1 || '%'");
        count.Parameters.Add(new NpgsqlParameter<string> { TypedValue = planId.ToString("N") });
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task PausedOrDeleted_MakesNothing_AndDeletingKeepsTheRequestsItMade()
    {
        var worker = await FamilyAsync();
        var (paused, deleted) = (Guid.NewGuid(), Guid.NewGuid());
        var input = DueSoon();
        await fixture.Client.GetGrain<ICarePlanGrain>(paused).SaveAsync(worker, input with { Schedule = input.Schedule with { Paused = true } }, "operator");
        await fixture.Client.GetGrain<ICarePlanGrain>(deleted).SaveAsync(worker, input, "operator");
        var made = Assert.Single(await fixture.Client.GetGrain<ICarePlanGrain>(deleted).CreateDueAsync());

        var gone = await fixture.Client.GetGrain<ICarePlanGrain>(deleted).DeleteAsync(worker, "coordinator");
        var fromPaused = await fixture.Client.GetGrain<ICarePlanGrain>(paused).CreateDueAsync();
        var fromDeleted = await fixture.Client.GetGrain<ICarePlanGrain>(deleted).CreateDueAsync();
        var resaved = await fixture.Client.GetGrain<ICarePlanGrain>(deleted).SaveAsync(worker, input, "operator");

        Assert.Empty(fromPaused);
        Assert.True(gone!.Deleted);
        Assert.Empty(fromDeleted);
        Assert.Equal(CarePlanSaveOutcome.Deleted, resaved.Outcome);
        Assert.Equal(deleted, (await fixture.Client.GetGrain<IHelpRequestGrain>(made).GetAsync())!.CarePlanId);
    }

    [Fact]
    public async Task PlanId_StaysWithItsFamily()
    {
        var (first, second) = (await FamilyAsync(), await FamilyAsync());
        var planId = Guid.NewGuid();
        await fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(first, DueSoon(), "operator");

        var other = await fixture.Client.GetGrain<ICarePlanGrain>(planId).SaveAsync(second, DueSoon(), "operator");
        var deleteOther = await fixture.Client.GetGrain<ICarePlanGrain>(planId).DeleteAsync(second, "operator");

        Assert.Equal(CarePlanSaveOutcome.OtherFamily, other.Outcome);
        Assert.Null(deleteOther);
        Assert.Equal(first, (await fixture.Client.GetGrain<ICarePlanGrain>(planId).GetAsync())!.WorkerId);
    }
}
