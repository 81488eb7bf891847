namespace Outreach.Web.Demo;

/// <summary>Settings of section <c>Outreach:Demo</c>.</summary>
public sealed class DemoOptions
{
    public const string Section = "Outreach:Demo";

    /// <summary>Create the demo region (stations, volunteers, families, accounts) at start-up if missing.</summary>
    public bool Seed { get; set; }
}
