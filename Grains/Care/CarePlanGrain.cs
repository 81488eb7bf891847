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
/// the next occurrence is due within a tick. A firing that fails (the database away) is tried again by a grain timer
/// every <see cref="CareOptions.RetryAfterFailure"/> until it succeeds: it needs no database to tick, where moving the
/// reminder does, and an occurrence's window may close long before the next hourly tick.
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

    /// <summary>
    /// The reminder's period while an occurrence is due within the hour. Orleans skips a tick that passed while no silo
    /// held the reminder (the one that did was killed at that moment): with the hourly period the next tick could come
    /// after a short window had closed, and the visit was never made (found by fault injection); now it comes minutes late.
    /// </summary>
    internal static readonly TimeSpan ImminentPeriod = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The soonest a reminder is asked to fire. Orleans counts a first tick that is already past when its timer starts
    /// (a due time of zero is, by the time the row is stored) as missed and fires a period later — an hour, for an
    /// occurrence that is due now.
    /// </summary>
    private static readonly TimeSpan SoonestDue = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _ahead = care.Value.CreateAhead;
    private readonly TimeSpan _retryAfterFailure = care.Value.RetryAfterFailure;
    private CarePlan? _plan;
    private long? _version;

    /// <summary>What is stored is not known here (the load or a write failed): it is read again before the next step.</summary>
    private bool _unread = true;

    /// <summary>Tries a failed firing again until it succeeds (<see cref="CreateDueOrRetryAsync"/>).</summary>
    private IGrainTimer? _retry;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A reminder firing during an outage activates the plan too: it must get as far as arranging its retry, so a
        // failed read is left for the first step to repeat (and answer with) rather than failing the activation.
        try
        {
            await ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Care plan {PlanId}: not read at activation ({Reason}); read again at the first step", Id, e.Message);
        }
    }

    public async Task<CarePlan?> GetAsync()
    {
        await ReadIfUnreadAsync();
        return _plan;
    }

    public async Task<CarePlanSaved> SaveAsync(Guid workerId, CarePlanInput input, string actor)
    {
        ArgumentNullException.ThrowIfNull(input);
        await ReadIfUnreadAsync();
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
        await ReadIfUnreadAsync();
        if (_plan is not { } plan || plan.WorkerId != workerId)
            return null;
        if (!plan.Deleted)
            await WriteAsync(plan with { Deleted = true, UpdatedAt = clock.GetUtcNow(), UpdatedBy = actor });
        await DropReminderAsync();
        return _plan;
    }

    public async Task<Guid[]> CreateDueAsync()
    {
        await ReadIfUnreadAsync();
        var now = clock.GetUtcNow();
        if (_plan is not { Deleted: false } plan)
        {
            await DropReminderAsync();
            StopRetrying();
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
        // Once occurrences were made, the reminder goes back to the next one and the hourly period.
        await ArrangeReminderAsync(_plan!, now, always: created.Count > 0);
        StopRetrying();
        return [.. created];
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == OccurrenceReminder ? CreateDueOrRetryAsync() : Task.CompletedTask;

    /// <summary>
    /// Makes what is due; if that fails, a grain timer (kept alive, no database needed) tries again every
    /// <see cref="CareOptions.RetryAfterFailure"/> until it succeeds, and the reminder is moved as close as a backup
    /// in case this silo goes too (if the database lets it: else its hourly tick is the backup).
    /// </summary>
    private async Task CreateDueOrRetryAsync()
    {
        try
        {
            await CreateDueAsync();
            return;
        }
        catch (Exception e)
        {
            log.LogWarning("Care plan {PlanId}: occurrences not made yet ({Reason}); trying again in {Retry}", Id, e.Message, _retryAfterFailure);
        }
        _retry ??= this.RegisterGrainTimer(_ => CreateDueOrRetryAsync(),
            new GrainTimerCreationOptions(_retryAfterFailure, _retryAfterFailure) { KeepAlive = true });
        try
        {
            await this.RegisterOrUpdateReminder(OccurrenceReminder, RetryAfterReminder(), TickPeriod);
        }
        catch (Exception e)
        {
            log.LogWarning("Care plan {PlanId}: reminder not moved ({Reason}); the timer tries again", Id, e.Message);
        }
    }

    /// <summary>The backup reminder's due time: the retry period, but never under the reminder service's soonest.</summary>
    private TimeSpan RetryAfterReminder() => _retryAfterFailure < SoonestDue ? SoonestDue : _retryAfterFailure;

    private void StopRetrying()
    {
        _retry?.Dispose();
        _retry = null;
    }

    private async Task ReadIfUnreadAsync()
    {
        if (_unread)
            await ReadAsync(CancellationToken.None);
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var stored = await table.LoadAsync(Id, cancellationToken);
        (_plan, _version, _unread) = (stored?.Plan, stored?.Version, false);
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
        await this.RegisterOrUpdateReminder(OccurrenceReminder, dueTime, due < TickPeriod ? ImminentPeriod : TickPeriod);
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

    /// <summary>
    /// Stores the plan if the row still has the version this activation read; then keeps it in memory. A write that
    /// failed may have landed after all, and one refused means another activation wrote: either way the row is read
    /// again before the next step.
    /// </summary>
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
            _unread = true;
            throw;
        }
        if (!saved)
        {
            _unread = true;
            throw new InconsistentStateException($"Care plan {Id} was changed by another activation since it was read.",
                _version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", "");
        }
        (_plan, _version) = (next, version);
    }
}
