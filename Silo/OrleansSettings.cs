namespace Outreach.Silo;

/// <summary>The cluster settings of configuration section <c>Orleans</c>.</summary>
public sealed class OrleansSettings
{
    public const string Section = "Orleans";

    /// <summary>Membership rows are scoped by this id: silos and clients with the same one form a cluster.</summary>
    public string ClusterId { get; set; } = "outreach";

    /// <summary>Grain state and reminders are scoped by this id; keep it stable across deployments.</summary>
    public string ServiceId { get; set; } = "outreach";

    /// <summary>The address other silos and clients use to reach this silo.</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;
}
