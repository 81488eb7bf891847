using System.Diagnostics.Metrics;
using Outreach.ServiceDefaults;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// The web node's figures on the <c>Outreach</c> meter: live hub connections open now (by kind of user) and position
/// reports taken. Tags are roles, never an account or a place.
/// </summary>
public sealed class WebMetrics
{
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _positions;

    public WebMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Telemetry.OutreachSource);
        _connections = meter.CreateUpDownCounter<long>("outreach.live.connections", "{connection}", "Live hub connections open on this web node, by kind of user.");
        _positions = meter.CreateCounter<long>("outreach.positions.reported", "{report}", "Volunteers' position reports taken.");
    }

    public void Connected(string kind) => _connections.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Disconnected(string kind) => _connections.Add(-1, new KeyValuePair<string, object?>("kind", kind));

    public void PositionReported() => _positions.Add(1);
}
