using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Outreach.Dispatch;
using Outreach.Model;
using Outreach.Cluster;

namespace Outreach.Grains.Dispatch;

/// <summary>
/// The candidate search: the dispatch cells covering the circle are asked, and their ranked answers merged by
/// <see cref="ServiceCircle"/>. Used by the request grain and by the search grain the benchmark measures.
/// <para>
/// Nearest first, in two waves: the cells within <see cref="FirstWaveM"/> of the place are asked at once; when they
/// already hold <see cref="DispatchOptions.MaxOffers"/> candidates, the worst of those bounds the rest — only the
/// cells whose nearest point the fastest mode could reach in that time are asked, with the circle narrowed to it
/// (nobody slower can be ranked among them). Where volunteers are dense the first wave is the whole search; where
/// they are sparse the second wave asks what the circle covers, as one wave would.
/// </para>
/// </summary>
public static class CellSearch
{
    /// <summary>The first wave: the cells whose nearest point is within this many metres of the place.</summary>
    public const double FirstWaveM = 1_000;

    /// <summary>Room for the rounding of kept ETAs (to 0.01 min) when the worst kept rank narrows the circle.</summary>
    private const double RoundingSlack = 0.01;

    private static readonly ConditionalWeakTable<IGrainFactory, ConcurrentDictionary<(int, int), Cell>> References = new();

    /// <summary>
    /// The best candidates for the query (at most <see cref="DispatchOptions.MaxOffers"/>). The cells active in this
    /// silo (<paramref name="local"/>) are read in place, the others asked by grain call; the answer is the same.
    /// </summary>
    public static async Task<Candidate[]> FindAsync(IGrainFactory grains, LocalCells local, DispatchOptions options, CandidateQuery query)
    {
        var circle = new ServiceCircle(options);
        var cells = GeoGrid.CellsCovering(query.Position, circle.ReachM(query.CircleMinutes));
        var cellsOf = References.GetValue(grains, _ => new());
        Cell Cell((int Row, int Column) cell) =>
            cellsOf.GetOrAdd(cell, static (c, g) => new Cell(GeoGrid.KeyOf(c), g), grains);

        var first = new List<Cell>(4);
        var rest = new List<((int, int) Cell, double Metres)>(cells.Count);
        foreach (var cell in cells)
        {
            var metres = GeoGrid.MetresAtLeast(cell, query.Position);
            if (metres <= FirstWaveM)
                first.Add(Cell(cell));
            else
                rest.Add((cell, metres));
        }
        var found = ServiceCircle.Merge(await AskAsync(first, local, query), options.MaxOffers);
        if (rest.Count == 0)
            return found;

        var second = query;
        if (found.Length == options.MaxOffers)
        {
            var bound = found[^1].RankMinutes + RoundingSlack;
            var reach = circle.ReachM(bound); // what the fastest mode covers in that time
            rest.RemoveAll(c => c.Metres > reach);
            if (rest.Count == 0)
                return found;
            second = query with { CircleMinutes = Math.Min(query.CircleMinutes, bound) };
        }
        var asked = new List<Cell>(rest.Count);
        foreach (var (cell, _) in rest)
            asked.Add(Cell(cell));
        var more = await AskAsync(asked, local, second);
        Array.Resize(ref more, more.Length + 1);
        more[^1] = found;
        return ServiceCircle.Merge(more, options.MaxOffers);
    }

    /// <summary>The cells' answers to the query: those active here read in place, the others asked at once.</summary>
    private static async Task<Candidate[][]> AskAsync(List<Cell> cells, LocalCells local, CandidateQuery query)
    {
        var answers = new Candidate[cells.Count][];
        Task<Candidate[]>[]? asking = null;
        for (var i = 0; i < cells.Count; i++)
        {
            var inPlace = local.TryGet(cells[i].Key, out var here);
            local.Counted(inPlace);
            if (inPlace)
                answers[i] = here.FindCandidates(query);
            else
                (asking ??= new Task<Candidate[]>[cells.Count])[i] = cells[i].Grain.FindCandidatesAsync(query);
        }
        if (asking is null)
            return answers;
        for (var i = 0; i < cells.Count; i++)
        {
            if (asking[i] is { } call)
                answers[i] = await call;
        }
        return answers;
    }

    /// <summary>A cell's grain key and reference, made once per grain factory.</summary>
    private sealed class Cell(string key, IGrainFactory grains)
    {
        public string Key { get; } = key;

        public IDispatchCellGrain Grain { get; } = grains.Get<IDispatchCellGrain>(key);
    }
}
