namespace Outreach.Dispatch;

/// <summary>The keys of <see cref="IDispatchCellGrain"/>: <c>geo/{row}/{column}</c> of the fixed grid (<c>GeoGrid</c>).</summary>
public static class DispatchCellKeys
{
    /// <summary>The key of the cell in row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public static string Of(int row, int column) => $"geo/{row}/{column}";
}
