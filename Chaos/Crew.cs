using System.Collections.Concurrent;
using Outreach.Bench;
using Outreach.Model;

namespace Outreach.Chaos;

/// <summary>The volunteers on duty: registered through the grains (the bench's <see cref="Population"/>), each with a login and a hub connection.</summary>
public sealed class Crew : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Task, bool> _working = new();

    public Deliveries Deliveries { get; } = new();
    public ClaimBook Claims { get; } = new();
    public List<LiveVolunteer> Volunteers { get; } = [];

    /// <summary>While paused nobody starts a claim (the checks read a still system).</summary>
    public bool Paused { get; private set; }

    /// <summary>Registers <paramref name="count"/> volunteers within 2 km of the middle of the city, on duty, half of them on each web node.</summary>
    public static async Task<Crew> StartAsync(Population population, City city, int count, IReadOnlyList<Uri> webs, CallLog log, int seed)
    {
        var crew = new Crew();
        var registered = await population.RegisterAsync(count,
            _ => (city.Near(City.RaceSpot, 2000), city.SomeSkills(), TravelMode.Car, 2), "chaos volunteers");
        for (var i = 0; i < registered.Count; i++)
        {
            var login = $"chaos-v{i}";
            await population.CreateAccountAsync(login, Roles.Volunteer, registered[i].Id);
            var volunteer = new LiveVolunteer(registered[i], i % webs.Count, capacity: 2, new Api(webs, log), crew, seed + i);
            await volunteer.ConnectAsync(login);
            crew.Volunteers.Add(volunteer);
        }
        return crew;
    }

    public void Track(Task work)
    {
        _working[work] = true;
        work.ContinueWith(t => _working.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Stops new claims and waits (at most <paramref name="limit"/>) for the claims and status reports under way.</summary>
    public async Task PauseAsync(TimeSpan limit)
    {
        Paused = true;
        var all = Task.WhenAll(_working.Keys);
        await Task.WhenAny(all, Task.Delay(limit));
    }

    public void Resume() => Paused = false;

    public async ValueTask DisposeAsync()
    {
        Paused = true;
        foreach (var volunteer in Volunteers)
            await volunteer.DisposeAsync();
    }
}
