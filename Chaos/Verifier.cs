using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Npgsql;
using Outreach.Model;
using Outreach.Database;
using Outreach.Volunteers;

namespace Outreach.Chaos;

/// <summary>A request as <c>GET /api/requests/{id}</c> shows it (the fields the checks need).</summary>
public sealed record RequestView(Guid Id, string Status, bool Escalated, Guid? AssignedVolunteerId, DateTimeOffset CreatedAt,
    DateTimeOffset? ClaimedAt, DateTimeOffset? ClosedAt)
{
    public bool Carried => Enum.TryParse<RequestStatus>(Status, out var status) && Lifecycle.IsAssigned(status);

    public bool Closed => Enum.TryParse<RequestStatus>(Status, out var status) && Lifecycle.IsClosed(status);

    /// <summary>While nobody had it: from creation to the claim (or the close, or now).</summary>
    public DateTimeOffset OpenUntil => ClaimedAt ?? ClosedAt ?? DateTimeOffset.UtcNow;

    public static RequestView Parse(JsonElement json) => new(
        json.GetProperty("id").GetGuid(),
        json.GetProperty("status").GetString() ?? "",
        json.GetProperty("escalated").GetBoolean(),
        json.GetProperty("assignedVolunteerId") is { ValueKind: JsonValueKind.String } a ? a.GetGuid() : null,
        json.GetProperty("createdAt").GetDateTimeOffset(),
        json.GetProperty("claimedAt") is { ValueKind: JsonValueKind.String } c ? c.GetDateTimeOffset() : null,
        json.GetProperty("closedAt") is { ValueKind: JsonValueKind.String } d ? d.GetDateTimeOffset() : null);
}

/// <summary>What the checks after a scenario counted.</summary>
public sealed record Figures
{
    public int Acked { get; init; }
    public int GaveUp { get; init; }
    public int MissingInGrain { get; init; }
    public int MissingInLedger { get; init; }
    public int LedgerBehind { get; init; }
    public int Claimed { get; init; }
    public int MultipleWinners { get; init; }
    public int WinnerNotAssignee { get; init; }
    public int AssigneeWithoutWinner { get; init; }
    public int StuckAdvances { get; init; }
    public int OffersMade { get; init; }
    public int OffersBySocket { get; init; }
    public int OffersByResyncOnly { get; init; }
    public int OffersExcused { get; init; }
    public int OffersMissed { get; init; }
    public int OffersUnknown { get; init; }
    public int LoadChecked { get; init; }
    public int LoadWrong { get; init; }
    public string LoadExample { get; init; } = "";
    public int EscalationDue { get; init; }
    public int Escalated { get; init; }
}

/// <summary>
/// Reads the system back after a scenario: each acknowledged request through the API (the grain) and in the
/// ledger table; the offers each request made (its stored state in <c>outreach_requests</c>) against what the
/// volunteers received; claims against the assignee; each volunteer's load (the grain) against the requests they
/// carry; escalation of requests left unclaimed past their deadline.
/// </summary>
public sealed class Verifier(Api coordinator, IGrainFactory grains, string connectionString, Crew crew)
{
    private readonly ConcurrentDictionary<Guid, RequestView> _latest = new();

    /// <summary>The request table, read back through its owner (the verifier's one data source for the run).</summary>
    // A fresh connection for each of the few reads: a pooled one kept across the db-outage scenario's restart is a
    // broken pipe at its next use.
    private readonly RequestTable _requests = new(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString));

    /// <summary>When an unclaimed request must show escalated.</summary>
    public static DateTimeOffset EscalationDueAt(RequestView r) => r.CreatedAt + ChaosOptions.ClaimDeadline + ChaosOptions.EscalationGrace;

    /// <summary>Reads the requests through the API (retrying what a retry can cure); null for those not found.</summary>
    public async Task<Dictionary<Guid, RequestView?>> ReadAsync(IEnumerable<Guid> ids)
    {
        var views = new ConcurrentDictionary<Guid, RequestView?>();
        await Parallel.ForEachAsync(ids.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (id, _) =>
        {
            Answer answer = new(null, "", null, null);
            for (var attempt = 0; attempt < 5; attempt++)
            {
                answer = await coordinator.GetAsync("readback", attempt, $"/api/requests/{id}");
                if (!answer.Retryable)
                    break;
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
            var view = answer.Is(HttpStatusCode.OK) ? RequestView.Parse(answer.Json()) : null;
            views[id] = view;
            if (view is not null)
                _latest[id] = view;
        });
        return new Dictionary<Guid, RequestView?>(views);
    }

    /// <summary>Waits (at most until <paramref name="limit"/>) until every unclaimed request of <paramref name="acked"/> is due to show escalated.</summary>
    public async Task WaitForEscalationsDueAsync(IReadOnlyCollection<Acked> acked, DateTimeOffset limit)
    {
        var views = await ReadAsync(acked.Select(a => a.Id));
        var due = views.Values.OfType<RequestView>().Where(v => v.Status == "Offered").Select(EscalationDueAt).DefaultIfEmpty(DateTimeOffset.UtcNow).Max();
        var until = due < limit ? due : limit;
        if (until > DateTimeOffset.UtcNow)
            await Task.Delay(until - DateTimeOffset.UtcNow);
    }

    public async Task<Figures> CheckAsync(IReadOnlyCollection<Acked> acked, int gaveUp, int stuckAdvances)
    {
        // Requests of earlier scenarios still carried count towards the volunteers' load: read them again too.
        var earlierOpen = _latest.Values.Where(v => !v.Closed).Select(v => v.Id).Except(acked.Select(a => a.Id)).ToArray();
        var views = await ReadAsync(acked.Select(a => a.Id));
        await ReadAsync(earlierOpen);
        var found = views.Values.OfType<RequestView>().ToList();
        var ledger = await _requests.LedgerStatusAsync([.. acked.Select(a => a.Id)]);
        var offered = await OfferedAsync();

        var claims = found.Select(v => (View: v, Winners: crew.Claims.WinnersOf(v.Id))).ToList();
        var byId = crew.Volunteers.ToDictionary(v => v.Id);
        int made = 0, socket = 0, resync = 0, excused = 0, missed = 0, unknown = 0;
        foreach (var view in found)
        {
            if (!offered.TryGetValue(view.Id, out var to))
            {
                unknown++;
                continue;
            }
            foreach (var volunteer in to.Where(byId.ContainsKey))
            {
                made++;
                var via = crew.Deliveries.Of(view.Id, volunteer);
                if (via.HasFlag(Via.Socket))
                    socket++;
                else if (via.HasFlag(Via.Resync))
                    resync++;
                else if (byId[volunteer].WasOffline(view.CreatedAt, view.OpenUntil))
                    excused++; // offline while it was open, and taken before their resync could list it
                else
                {
                    missed++;
                    if (missed <= 5)
                        Console.WriteLine($"  missed: request {view.Id} (created {view.CreatedAt:HH:mm:ss.fff}) offered to volunteer {volunteer}");
                }
            }
        }

        var (loadChecked, loadWrong, example) = await CheckLoadAsync();
        var now = DateTimeOffset.UtcNow;
        var due = found.Where(v => v.AssignedVolunteerId is null && !v.Closed && EscalationDueAt(v) <= now).ToList();
        foreach (var late in due.Where(v => !v.Escalated).Take(5))
            Console.WriteLine($"  not escalated: request {late.Id} (created {late.CreatedAt:HH:mm:ss.fff}, {late.Status})");
        return new Figures
        {
            Acked = acked.Count,
            GaveUp = gaveUp,
            MissingInGrain = views.Values.Count(v => v is null),
            MissingInLedger = acked.Count(a => !ledger.ContainsKey(a.Id)),
            LedgerBehind = found.Count(v => ledger.TryGetValue(v.Id, out var row) && (row.Status != v.Status || row.Escalated != v.Escalated)),
            Claimed = claims.Count(c => c.Winners.Length > 0),
            MultipleWinners = claims.Count(c => c.Winners.Length > 1),
            WinnerNotAssignee = claims.Count(c => c.Winners.Length == 1 && c.View.AssignedVolunteerId != c.Winners[0]),
            AssigneeWithoutWinner = claims.Count(c => c.Winners.Length == 0 && c.View.AssignedVolunteerId is not null),
            StuckAdvances = stuckAdvances,
            OffersMade = made,
            OffersBySocket = socket,
            OffersByResyncOnly = resync,
            OffersExcused = excused,
            OffersMissed = missed,
            OffersUnknown = unknown,
            LoadChecked = loadChecked,
            LoadWrong = loadWrong,
            LoadExample = example,
            EscalationDue = due.Count,
            Escalated = due.Count(v => v.Escalated),
        };
    }

    /// <summary>Each volunteer's load as their grain holds it against the requests that name them as assignee and are not closed.</summary>
    private async Task<(int Checked, int Wrong, string Example)> CheckLoadAsync()
    {
        var carried = _latest.Values.Where(v => v.Carried && v.AssignedVolunteerId is not null)
            .GroupBy(v => v.AssignedVolunteerId!.Value).ToDictionary(g => g.Key, g => g.Count());
        int wrong = 0, checkedCount = 0;
        var example = "";
        foreach (var volunteer in crew.Volunteers)
        {
            VolunteerView? view = null;
            for (var attempt = 0; attempt < 5 && view is null; attempt++)
            {
                try
                {
                    view = await grains.GetGrain<IVolunteerGrain>(volunteer.Id).GetAsync();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
            if (view is null)
                continue;
            checkedCount++;
            var load = view.ActiveRequests?.Length ?? 0;
            var real = carried.GetValueOrDefault(volunteer.Id);
            if (load != real)
            {
                wrong++;
                if (example.Length == 0)
                    example = $"{volunteer.Id}: load {load}, carries {real}";
            }
        }
        return (checkedCount, wrong, example);
    }

    /// <summary>
    /// Whom each request was offered to in its current round, from its stored state (<c>outreach_requests.state</c>,
    /// JSON, written with the ledger columns and the offers in one statement), read through the table's owner.
    /// </summary>
    private async Task<Dictionary<Guid, Guid[]>> OfferedAsync()
    {
        var offered = new Dictionary<Guid, Guid[]>();
        foreach (var (id, json) in await _requests.StatesAsync())
        {
            using var state = JsonDocument.Parse(json);
            offered[id] = state.RootElement.TryGetProperty("Offers", out var offers) && offers.ValueKind == JsonValueKind.Object
                ? [.. offers.EnumerateObject().Select(p => Guid.Parse(p.Name))]
                : [];
        }
        return offered;
    }
}
