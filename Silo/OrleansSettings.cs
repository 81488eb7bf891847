using Outreach.ServiceDefaults;

namespace Outreach.Silo;

/// <summary>The cluster settings of configuration section <c>Orleans</c>.</summary>
public sealed class OrleansSettings
{
    public const string Section = OutreachCluster.Section;

    /// <summary>Membership rows are scoped by this id: silos and clients with the same one form a cluster.</summary>
    public string ClusterId { get; set; } = OutreachCluster.DefaultClusterId;

    /// <summary>Grain state and reminders are scoped by this id; keep it stable across deployments.</summary>
    public string ServiceId { get; set; } = OutreachCluster.DefaultServiceId;

    /// <summary>The address other silos and clients use to reach this silo.</summary>
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How often a silo probes the others and how long it waits for an answer (Orleans' default: 5 s). On one
    /// machine or a LAN an answer takes milliseconds, so 1 s still leaves a wide margin for a busy process.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest the probe period and timeout may become: Orleans adapts both to the answers it sees, between
    /// this and four times <see cref="ProbeTimeout"/>. With answers in milliseconds a killed silo (its connections
    /// refused at once) misses three probes within about this × 3 (Orleans' default: half of ProbeTimeout).
    /// </summary>
    public TimeSpan MinProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Missed probes in a row before a silo suspects another (Orleans' default: 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 3;
}
