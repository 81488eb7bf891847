using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Outreach.Care;
using Outreach.Database;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Grains.Dispatch;
using Outreach.Cluster;

namespace Outreach.Grains.Care;

/// <summary>
/// One care plan and its durable reminder. A save registers (or moves) the reminder first and then writes the plan,
/// so a plan that was acknowledged always has one; a reminder whose plan was never stored fires once, finds no plan
/// and is dropped. When it fires, each occurrence whose window opens within <see cref="CareOptions.CreateAhead"/>
/// and is not over yet becomes an ordinary help request (id from <see cref="CareOccurrences.RequestId"/>, so a second
/// firing finds it already there), carrying the plan's id and preferred helper; the plan then records the date it
/// reached. The reminder ticks every <see cref="TickPeriod"/> as a safety net and is moved to the exact moment when
/// the next occurrence is due within a tick.
/// </summary>
public sealed class CarePlanGrain(
    CarePlanTable table,
    IOptions<CareOptions> care,
    TimeProvider clock,
    ILogger<CarePlanGrain> log)
    : Grain, ICarePlanGrain, IRemindable
{
    internal const string OccurrenceReminder = "occurrence";

    /// <summary>The reminder's period: how late an occurrence can be when an exact firing was missed (a restart, an outage).</summary>
    internal static readonly TimeSpan TickPeriod = TimeSpan.FromHours(1);

    /// <summary>After a firing that failed (the database, a silo gone), when the reminder tries again.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The soonest a reminder is asked to fire. Orleans counts a first tick that is already past when its timer starts
    /// (a due time of zero is, by the time the row is stored) as missed and fires a period later — an hour, for an
    /// occurrence that is due now.
    /// </summary>
    private static readonly TimeSpan SoonestDue = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _ahead = care.Value.CreateAhead;
    private CarePlan? _plan;
    private long? _version;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = await table.LoadAsync(Id, cancellationToken);
        (_plan, _version) = (stored?.Plan, stored?.Version);
    }

    public Task<CarePlan?> GetAsync() => Task.FromResult(_plan);

    public async Task<CarePlanSaved> SaveAsync(Guid workerId, CarePlanInput input, string actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_plan is { } existing && existing.WorkerId != workerId)
            return new CarePlanSaved(CarePlanSaveOutcome.OtherFamily, null, false);
        if (_plan is { Deleted: true })
            return new CarePlanSaved(CarePlanSaveOutcome.Deleted, null, false);
        var now = clock.GetUtcNow();
        var next = _plan is null
            ? new CarePlan(Id, workerId, input, now, now, Deleted: false, LastCreated: null, actor)
            : _plan with { Data = input, UpdatedAt = now, UpdatedBy = actor };
        // The reminder is registered before the write and dropped only after it: a write that fails must not leave the
        // stored (still active) plan without the reminder that makes its occurrences. A reminder left over from a paused
        // plan only finds nothing to make, and drops itself then.
        var fires = NextOccurrence(next, now) is not null;
        if (fires)
            await ArrangeReminderAsync(next, now, always: true);
        await WriteAsync(next);
        if (!fires)
            await DropReminderAsync();
        return new CarePlanSaved(CarePlanSaveOutcome.Saved, next, Created: _version == 1);
    }

    public async Task<CarePlan?> DeleteAsync(Guid workerId, string actor)
    {
        if (_plan is not { } plan || plan.WorkerId != workerId)
            return null;
        if (!plan.Deleted)
            await WriteAsync(plan with { Deleted = true, UpdatedAt = clock.GetUtcNow(), UpdatedBy = actor });
        await DropReminderAsync();
        return _plan;
    }

    public async Task<Guid[]> CreateDueAsync()
    {
        var now = clock.GetUtcNow();
        if (_plan is not { Deleted: false } plan)
        {
            await DropReminderAsync();
            return [];
        }
        var created = new List<Guid>();
        foreach (var occurrence in Pending(plan, now).TakeWhile(o => o.From - _ahead <= now))
        {
            var requestId = CareOccurrences.RequestId(plan.Id, occurrence.Date);
            await SubmitAsync(plan, occurrence, requestId);
            created.Add(requestId);
            await WriteAsync(_plan! with { LastCreated = occurrence.Date });
        }
        await ArrangeReminderAsync(_plan!, now, always: false);
        return [.. created];
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != OccurrenceReminder)
            return;
        try
        {
            await CreateDueAsync();
        }
        catch (Exception e)
        {
            log.LogWarning("Care plan {PlanId}: occurrences not made yet ({Reason}); trying again in {Retry}", Id, e.Message, RetryAfterFailure);
            try
            {
                await this.RegisterOrUpdateReminder(OccurrenceReminder, RetryAfterFailure, TickPeriod);
            }
            catch (Exception again)
            {
                log.LogWarning("Care plan {PlanId}: reminder not moved ({Reason}); the next tick tries again", Id, again.Message);
            }
        }
    }

    /// <summary>The plan's occurrences not yet made into requests whose window is not over, earliest first.</summary>
    private static IEnumerable<CareOccurrence> Pending(CarePlan plan, DateTimeOffset now)
    {
        var schedule = plan.Data.Schedule;
        // Windows are within a day: one that is not over opened at most a day ago.
        return CareSchedules.Between(schedule, now - TimeSpan.FromDays(1), now + TimeSpan.FromDays(CareSchedules.MaxN + 8))
            .Where(o => o.To > now && (plan.LastCreated is not { } last || o.Date > last));
    }

    private static CareOccurrence? NextOccurrence(CarePlan plan, DateTimeOffset now) =>
        plan.Deleted ? null : Pending(plan, now).FirstOrDefault();

    /// <summary>
    /// Registers the reminder for the plan's next occurrence (or drops it when there is none); unless
    /// <paramref name="always"/>, only when the regular tick would come too late for it.
    /// </summary>
    private async Task ArrangeReminderAsync(CarePlan plan, DateTimeOffset now, bool always)
    {
        var next = NextOccurrence(plan, now);
        if (next is null)
        {
            await DropReminderAsync();
            return;
        }
        var due = next.From - _ahead - now;
        if (!always && due >= TickPeriod)
            return;
        var dueTime = due < SoonestDue ? SoonestDue : due > TickPeriod ? TickPeriod : due;
        await this.RegisterOrUpdateReminder(OccurrenceReminder, dueTime, TickPeriod);
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(OccurrenceReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    private async Task SubmitAsync(CarePlan plan, CareOccurrence occurrence, Guid requestId)
    {
        var file = await GrainFactory.GetGrain<IFamilyFileGrain>(plan.WorkerId).GetAsync();
        var data = plan.Data;
        var request = new NewHelpRequest(plan.WorkerId, file?.Phones.FirstOrDefault() ?? "", data.Category, data.Urgency,
            data.Position, data.Address, data.Notes)
        {
            CarePlanId = plan.Id,
            PreferredVolunteerId = data.PreferredVolunteerId,
            WindowFrom = occurrence.From,
            WindowTo = occurrence.To,
        };
        var result = await GrainFactory.Get<IHelpRequestGrain>(requestId).SubmitAsync(request, Actor.System);
        log.LogInformation("Care plan {PlanId}: the occurrence of {Date} is request {RequestId} ({Outcome})", plan.Id,
            occurrence.Date, requestId, result.Created ? "created" : "already there");
    }

    /// <summary>Stores the plan if the row still has the version this activation read; then keeps it in memory.</summary>
    private async Task WriteAsync(CarePlan next)
    {
        var version = (_version ?? 0) + 1;
        bool saved;
        try
        {
            saved = await table.SaveAsync(next, version, _version);
        }
        catch
        {
            DeactivateOnIdle(); // the write may have landed after all: the next activation reads what is stored
            throw;
        }
        if (!saved)
        {
            DeactivateOnIdle();
            throw new InconsistentStateException($"Care plan {Id} was changed by another activation since it was read.",
                _version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", "");
        }
        (_plan, _version) = (next, version);
    }
}
