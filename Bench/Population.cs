using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Outreach.Accounts;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;

namespace Outreach.Bench;

/// <summary>A registered volunteer as the bench knows them.</summary>
public sealed record BenchVolunteer(Guid Id, GeoPoint Position, HelpCategory[] Skills);

/// <summary>
/// Registers the city through the grains, the same calls the API makes: stations, volunteers (create,
/// position, duty) with bounded parallelism, and accounts with one precomputed password hash.
/// </summary>
public sealed class Population(IGrainFactory grains, int parallelism, int passwordIterations = 100_000)
{
    /// <summary>The password of every bench account.</summary>
    public const string Password = "bench-password-1";

    private readonly string _passwordHash = new PasswordHasher<Account>(
        Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = passwordIterations })).HashPassword(
        new Account(Guid.Empty, "bench", "bench", [], "", null), Password);

    public List<BenchVolunteer> Volunteers { get; } = [];

    /// <summary>A 3 × 3 grid of stations over the box, so each request is attached to one as in production.</summary>
    public async Task CreateStationsAsync()
    {
        for (var row = 0; row < 3; row++)
        {
            for (var column = 0; column < 3; column++)
            {
                var position = new GeoPoint(City.South + (row + 0.5) * (City.North - City.South) / 3,
                    City.West + (column + 0.5) * (City.East - City.West) / 3);
                var info = new StationInfo($"驿站 {row * 3 + column + 1}", "基准测试站点", position, 3000, null, []);
                await grains.GetGrain<IStationGrain>(Guid.NewGuid()).CreateAsync(info);
            }
        }
    }

    /// <summary>Registers <paramref name="count"/> volunteers from <paramref name="make"/>, on duty at their place unless <paramref name="onDuty"/> is false (then only created); returns them.</summary>
    public async Task<List<BenchVolunteer>> RegisterAsync(int count, Func<int, (GeoPoint Position, HelpCategory[] Skills, TravelMode Mode, int Capacity)> make,
        string what, bool onDuty = true)
    {
        var added = new BenchVolunteer[count];
        var done = 0;
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) =>
        {
            var (position, skills, mode, capacity) = make(i);
            var id = Guid.NewGuid();
            var grain = grains.GetGrain<IVolunteerGrain>(id);
            var phone = "139" + (10_000_000 + Volunteers.Count + i).ToString(CultureInfo.InvariantCulture);
            // A retried create finds the volunteer already there (null): that is the same outcome.
            await RetryAsync(() => grain.CreateAsync(new VolunteerProfile($"志愿者{i}", phone, skills, mode, null, capacity)));
            if (onDuty)
            {
                await RetryAsync(() => grain.ReportPositionAsync(position, 10));
                await RetryAsync(() => grain.SetDutyAsync(true));
            }
            added[i] = new BenchVolunteer(id, position, skills);
            var n = Interlocked.Increment(ref done);
            if (n % 10_000 == 0)
            {
                lock (added)
                {
                    if (watch.Elapsed - lastReport > TimeSpan.FromSeconds(5) || n == count)
                    {
                        lastReport = watch.Elapsed;
                        Console.WriteLine($"    {what}: {n:N0}/{count:N0} after {watch.Elapsed.TotalSeconds:0} s ({n / watch.Elapsed.TotalSeconds:0}/s)");
                    }
                }
            }
        });
        Volunteers.AddRange(added);
        return [.. added];
    }

    /// <summary>Failed set-up calls (retried), e.g. when the silo's database pool is exhausted.</summary>
    public int Retries => _retries;

    private int _retries;

    /// <summary>Retries a set-up call up to 5 times with a growing pause; set-up is not what is measured.</summary>
    private async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < 5 && e is not ArgumentException)
            {
                if (Interlocked.Increment(ref _retries) <= 3)
                    Console.WriteLine($"    set-up call failed (attempt {attempt}, retrying): {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }

    /// <summary>Creates a login directly in its grain (no per-account PBKDF2 here; the HTTP login still verifies it).</summary>
    public async Task CreateAccountAsync(string login, string role, Guid? volunteerId)
    {
        var account = new Account(Guid.NewGuid(), login, login, [role], _passwordHash, volunteerId);
        if (!await grains.GetGrain<IAccountGrain>(AccountKeys.For(login)).CreateAsync(account))
            throw new InvalidOperationException($"the login {login} exists already");
    }
}
