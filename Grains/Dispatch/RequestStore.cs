using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Outreach.Database;
using Outreach.Dispatch;
using Outreach.Model;
using Orleans.Storage;

namespace Outreach.Grains.Dispatch;

/// <summary>A request's stored state and the tag that guards it; <see cref="Legacy"/>: a row from before the state moved here.</summary>
public sealed record StoredRequest(HelpRequestState? State, long? ETag, bool Legacy);

/// <summary>
/// A request just stored: its new tag, and — when the save made offers — which of the volunteers it was just offered to
/// (<see cref="Offered"/>) have a push device (<see cref="WithDevices"/>), as the same statement read them.
/// </summary>
public sealed record SavedRequest(long ETag, IReadOnlySet<Guid> Offered, IReadOnlySet<Guid> WithDevices);

/// <summary>
/// A request grain's state in <c>outreach_requests</c>, through the table's owner (<see cref="RequestTable"/>):
/// <see cref="SaveAsync"/> writes the whole state, its ledger columns, its open offers and its service records in one
/// statement, and only
/// if the row still carries the tag the caller read: so the ledger and the offers can never disagree with the state,
/// and a stale activation cannot overwrite a newer one. This class turns the state into JSON and back and works out
/// how the open offers changed; the SQL is the table's.
/// </summary>
public sealed class RequestStore(NpgsqlDataSource database)
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly RequestTable _table = new(database);

    /// <summary>Reads a request's state; null state when there is none (or only a ledger row from before 0009).</summary>
    public async Task<StoredRequest> LoadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var row = await _table.LoadAsync(id, cancellationToken);
        if (row.StateJson is not { } json)
            return new StoredRequest(null, null, row.Legacy);
        var state = FromJson(json) ?? throw new InvalidDataException($"Request {id}: stored state is null.");
        return new StoredRequest(state, row.ETag, Legacy: false);
    }

    /// <summary>
    /// Stores <paramref name="next"/> (with its ledger columns and open offers) if the row still has
    /// <paramref name="expectedETag"/> (null: a new request, or a row from before 0009) — or, with
    /// <paramref name="insertOnly"/>, if there is no row yet; returns the new tag and which of the volunteers just
    /// offered have a push device. Null when insert-only found the row: nothing was written. <paramref name="audit"/>: an
    /// audit row (its subject the request) written in the same statement, only if the state is.
    /// </summary>
    /// <exception cref="InconsistentStateException">
    /// Someone else wrote the row since it was read (another activation, for a moment after a silo's death). Orleans'
    /// own word for a lost optimistic write: the caller hears 503 and retries, and the activation is deactivated so
    /// the retry reads what is stored.
    /// </exception>
    public async Task<SavedRequest?> SaveAsync(Guid id, HelpRequestState previous, HelpRequestState next, long? expectedETag,
        bool insertOnly = false, AuditLine? audit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        var newETag = (expectedETag ?? 0) + 1;
        // A completion adds a service record and a follow-up rates it: written with the state, in the same statement.
        ServiceRow[]? services = previous.Services.SequenceEqual(next.Services)
            ? null
            : [.. next.Services.Select(e => new ServiceRow(e.Seq, e.VolunteerId, e.VolunteerName, e.StartedAt, e.CompletedAt, e.Satisfied, e.Rating))];
        var offers = OfferChangeOf(previous, next);
        var saved = await _table.SaveAsync(HelpRequestViews.ToView(id, next), ToJson(next), newETag,
            expectedETag, offers, services, insertOnly,
            audit is null ? null : new AuditWrite(audit.ActorId, audit.ActorLogin, audit.ActorName, audit.ActorRoles, audit.Action, audit.SubjectKind, id, audit.Detail),
            cancellationToken);
        if (saved.Saved)
            return new SavedRequest(newETag, offers is null ? NoOne : offers.Added.Select(o => o.VolunteerId).ToHashSet(), saved.OfferedWithDevices);
        if (insertOnly)
            return null;
        throw new InconsistentStateException($"Request {id} was changed by another activation since it was read.",
            expectedETag?.ToString(CultureInfo.InvariantCulture) ?? "", "");
    }

    /// <summary>A state as its row stores it (JSON); every version of the row's format must read back (<see cref="FromJson"/>).</summary>
    internal static byte[] ToJson(HelpRequestState state) => JsonSerializer.SerializeToUtf8Bytes(state, _json);

    /// <summary>A state from its row's JSON, whichever version of the code wrote it.</summary>
    internal static HelpRequestState? FromJson(string json) => JsonSerializer.Deserialize<HelpRequestState>(json, _json);

    /// <summary>Writes only a ledger row (never older over newer); for importing rows and for tests of the lists.</summary>
    public Task RecordLedgerRowAsync(HelpRequestView view, CancellationToken cancellationToken = default) =>
        _table.RecordLedgerRowAsync(view, cancellationToken);

    /// <summary>How the open offers' rows change between two states; null when they do not.</summary>
    private static OfferChange? OfferChangeOf(HelpRequestState previous, HelpRequestState next)
    {
        // The rows are exactly the stored state's offers while it waits for a claim (written in the same statement).
        var stored = Rows(previous);
        var kept = Rows(next);
        Guid[] withdrawn = [.. stored.Keys.Where(v => !kept.ContainsKey(v))];
        OpenOffer[] added = [.. kept.Where(o => !stored.ContainsKey(o.Key)).Select(o => new OpenOffer(o.Key, o.Value.EtaMinutes, o.Value.DistanceM, o.Value.At))];
        return withdrawn.Length == 0 && added.Length == 0 ? null : new OfferChange(withdrawn, added);
    }

    private static Dictionary<Guid, OfferRecord> Rows(HelpRequestState state) => state.Status == RequestStatus.Offered ? state.Offers : NoRows;

    private static readonly Dictionary<Guid, OfferRecord> NoRows = [];

    private static readonly IReadOnlySet<Guid> NoOne = new HashSet<Guid>();
}
