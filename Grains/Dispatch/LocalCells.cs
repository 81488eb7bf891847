using System.Collections.Concurrent;
using Outreach.Dispatch;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The dispatch cells active in this silo, so a search running here reads their index in place instead of sending each
/// a message (<see cref="CellSearch"/>): a request's search asks about four cells, and the messages cost as much as
/// the ranking itself. The cell grain stays the only writer of its index (under its lock, which a search here takes
/// to read); it joins once its rows are loaded and leaves when it deactivates. A cell active on another silo, or not
/// active yet, is asked by grain call as before, which also activates it. One per silo.
/// </summary>
public sealed class LocalCells
{
    private readonly ConcurrentDictionary<string, ILocalCell> _cells = new(StringComparer.Ordinal);
    private long _readInPlace;
    private long _askedByCall;

    /// <summary>How many cells of this silo are readable in place.</summary>
    public int Count => _cells.Count;

    /// <summary>Cells a search of this silo read in place, since the start.</summary>
    public long ReadInPlace => Interlocked.Read(ref _readInPlace);

    /// <summary>Cells a search of this silo asked by grain call (active elsewhere or not yet), since the start.</summary>
    public long AskedByCall => Interlocked.Read(ref _askedByCall);

    /// <summary>The cell of this key, when it is active in this silo.</summary>
    public bool TryGet(string key, out ILocalCell cell) => _cells.TryGetValue(key, out cell!);

    /// <summary>Counts one cell a search read in place (<paramref name="inPlace"/>) or asked by call.</summary>
    internal void Counted(bool inPlace) => Interlocked.Increment(ref inPlace ? ref _readInPlace : ref _askedByCall);

    /// <summary>The cell's activation is readable in place (after its rows are loaded).</summary>
    internal void Join(string key, ILocalCell cell) => _cells[key] = cell;

    /// <summary>The cell's activation is deactivating: only this activation is taken out, never a newer one.</summary>
    internal void Leave(string key, ILocalCell cell) => _cells.TryRemove(KeyValuePair.Create(key, cell));
}

/// <summary>A dispatch cell's activation as a search in the same silo reads it.</summary>
public interface ILocalCell
{
    /// <summary>The volunteers of this cell who pass the circle test for the query, ranked by ETA (what the grain call answers).</summary>
    Candidate[] FindCandidates(CandidateQuery query);
}
