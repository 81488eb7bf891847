using Microsoft.AspNetCore.SignalR;

namespace Outreach.Web.Live;

/// <summary>
/// This node's open hub connections by the groups they joined (<see cref="LiveHub"/> files them), so the relay can
/// write to each coordinator's desk on its own and close a connection that cannot take its events in time: SignalR
/// waits for the slowest reader of a send, and one desk on a slow link would otherwise hold every event of the node —
/// the volunteers' offers included.
/// </summary>
public sealed class LiveConnections
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, HubCallerContext>> _byGroup = new(StringComparer.Ordinal);

    /// <summary>The connection joined <paramref name="groups"/>.</summary>
    public void Joined(HubCallerContext connection, IEnumerable<string> groups)
    {
        lock (_gate)
        {
            foreach (var group in groups)
            {
                if (!_byGroup.TryGetValue(group, out var members))
                    _byGroup[group] = members = new(StringComparer.Ordinal);
                members[connection.ConnectionId] = connection;
            }
        }
    }

    /// <summary>The connection closed: it leaves every group it was filed in.</summary>
    public void Left(HubCallerContext connection, IEnumerable<string> groups)
    {
        lock (_gate)
        {
            foreach (var group in groups)
            {
                if (_byGroup.TryGetValue(group, out var members) && members.Remove(connection.ConnectionId) && members.Count == 0)
                    _byGroup.Remove(group);
            }
        }
    }

    /// <summary>The connections in <paramref name="group"/> now.</summary>
    public IReadOnlyList<HubCallerContext> In(string group)
    {
        lock (_gate)
            return _byGroup.TryGetValue(group, out var members) ? [.. members.Values] : [];
    }
}
