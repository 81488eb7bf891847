using Npgsql;
using Outreach.Database;
using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>The dispatch index in <c>outreach_dispatch_cell_entries</c> (migration 0007), through its owner <see cref="CellEntryTable"/>.</summary>
public sealed class CellStore(NpgsqlDataSource database) : ICellStore
{
    private readonly CellEntryTable _table = new(database);

    public Task<IReadOnlyList<CellEntry>> LoadAsync(string cell, CancellationToken cancellationToken = default) =>
        _table.LoadAsync(cell, cancellationToken);

    public Task SaveAsync(string cell, IReadOnlyCollection<CellEntry> upserts, IReadOnlyCollection<Guid> removals,
        CancellationToken cancellationToken = default) =>
        _table.SaveAsync(cell, upserts, removals, cancellationToken);
}
