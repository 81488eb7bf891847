using System.Diagnostics.Metrics;
using Outreach.ServiceDefaults;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// Counts the grain calls this web node makes, by grain interface (<c>outreach.web.grain_calls</c>): what a page's
/// read costs the cluster shows on <c>/metrics</c>, and tests hold the map and reconnect reads to what they need.
/// </summary>
public sealed class GrainCallCounter : IOutgoingGrainCallFilter
{
    private readonly Counter<long> _calls;

    public GrainCallCounter(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _calls = meters.Create(Telemetry.OutreachSource).CreateCounter<long>(
            "outreach.web.grain_calls", "{call}", "Grain calls made by this web node, by grain interface.");
    }

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _calls.Add(1, new KeyValuePair<string, object?>("grain", context.InterfaceType.ToString()));
        return context.Invoke();
    }
}
