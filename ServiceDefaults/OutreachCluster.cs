namespace Outreach.ServiceDefaults;

/// <summary>
/// The Orleans cluster the silos and the web nodes form: its configuration section and the ids a process takes when
/// none is configured (<c>Orleans__ClusterId</c>, <c>Orleans__ServiceId</c>). The silo, the web's client, the tests,
/// the bench and the chaos fleet all start from these.
/// </summary>
public static class OutreachCluster
{
    /// <summary>The configuration section of the cluster settings.</summary>
    public const string Section = "Orleans";

    /// <summary>Membership rows are scoped by the cluster id: silos and clients with the same one form a cluster.</summary>
    public const string DefaultClusterId = "outreach";

    /// <summary>Grain state and reminders are scoped by the service id; it stays the same across deployments.</summary>
    public const string DefaultServiceId = "outreach";
}
