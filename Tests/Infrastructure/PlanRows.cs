using System.Text.Json;

namespace Outreach.Tests.Infrastructure;

/// <summary>Reads an <c>EXPLAIN (ANALYZE, FORMAT JSON)</c> plan: how many rows its scans looked at.</summary>
public static class PlanRows
{
    /// <summary>What the scan nodes of a plan produced or threw away, over all their loops.</summary>
    public static long Examined(JsonElement node)
    {
        var examined = 0L;
        if (node.GetProperty("Node Type").GetString()!.Contains("Scan", StringComparison.Ordinal))
        {
            var loops = node.GetProperty("Actual Loops").GetInt64();
            examined += loops * node.GetProperty("Actual Rows").GetInt64();
            foreach (var removed in (string[])["Rows Removed by Filter", "Rows Removed by Index Recheck"])
            {
                if (node.TryGetProperty(removed, out var value))
                    examined += loops * value.GetInt64();
            }
        }
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
                examined += Examined(child);
        }
        return examined;
    }
}
