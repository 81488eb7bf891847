using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// Where a dispatch cell keeps its entries: one row per volunteer, so a change costs the rows it touches,
/// not the whole cell.
/// </summary>
public interface ICellStore
{
    /// <summary>Every entry stored for the cell.</summary>
    Task<IReadOnlyList<CellEntry>> LoadAsync(string cell, CancellationToken cancellationToken = default);

    /// <summary>Writes the given entries and deletes the given volunteers' rows, all or nothing.</summary>
    Task SaveAsync(string cell, IReadOnlyCollection<CellEntry> upserts, IReadOnlyCollection<Guid> removals,
        CancellationToken cancellationToken = default);
}
