using System.Collections.Concurrent;

namespace Outreach.Web.Live;

/// <summary>
/// The volunteers with a live connection open on this web node, and their group's name. The relay hears every offer,
/// withdrawal and request change of the cluster — fifty offers for each request — while most volunteers are connected
/// elsewhere or not at all; it builds and sends an event only for those found here (<see cref="GroupOf"/>).
/// </summary>
/// <remarks>
/// A connection is counted before it joins its groups and forgotten after it left them (<see cref="LiveHub"/>), so a
/// volunteer is never in a group here without being counted: an event the group would have carried is not skipped.
/// </remarks>
public sealed class VolunteerConnections
{
    private readonly ConcurrentDictionary<Guid, Here> _here = new();
    private readonly Lock _gate = new();

    /// <summary>How many volunteers have a connection here.</summary>
    public int Count => _here.Count;

    /// <summary>A connection of <paramref name="volunteerId"/> opened here.</summary>
    public void Opened(Guid volunteerId)
    {
        lock (_gate)
        {
            if (_here.TryGetValue(volunteerId, out var here))
                here.Connections++;
            else
                _here[volunteerId] = new Here(LiveGroups.Volunteer(volunteerId));
        }
    }

    /// <summary>A connection of <paramref name="volunteerId"/> closed here.</summary>
    public void Closed(Guid volunteerId)
    {
        lock (_gate)
        {
            if (_here.TryGetValue(volunteerId, out var here) && --here.Connections == 0)
                _here.TryRemove(volunteerId, out _);
        }
    }

    /// <summary>The volunteer's group name when they have a connection here; otherwise null (nobody here to tell).</summary>
    public string? GroupOf(Guid volunteerId) => _here.TryGetValue(volunteerId, out var here) ? here.Group : null;

    private sealed class Here(string group)
    {
        public string Group { get; } = group;

        public int Connections { get; set; } = 1;
    }
}
