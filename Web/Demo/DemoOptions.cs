namespace Outreach.Web.Demo;

/// <summary>Settings of section <c>Outreach:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "Outreach:Demo";

    /// <summary>Create the demo region (stations, volunteers, families, accounts) at start-up if missing.</summary>
    public bool Seed { get; set; }

    /// <summary>
    /// While the node runs with <see cref="Seed"/> on, every on-duty demo volunteer without a login reports their home
    /// position again this often, as their phone would: dispatch ignores positions older than 10 minutes, and a demo
    /// left running (or started again on an old database) would otherwise offer requests to nobody. Zero: never
    /// (run.sh sets it when the simulator moves the demo volunteers itself).
    /// </summary>
    public TimeSpan RefreshPositionsEvery { get; set; } = TimeSpan.FromMinutes(4);
}
