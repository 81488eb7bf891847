using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Demo;
using Outreach.Files;
using Outreach.Stations;
using Outreach.Volunteers;
using Outreach.Cluster;

namespace Outreach.Web.Demo;

/// <summary>
/// Creates the demo region when <c>Outreach:Demo:Seed</c> is on. Idempotent: every demo entity has a fixed
/// id and is only created when absent, so seeding again (or from a second web node) creates nothing. Then, like
/// their phones would, the on-duty demo volunteers report their home positions again every
/// <see cref="DemoOptions.RefreshPositionsEvery"/>, so a demo left running still has people to offer to.
/// </summary>
public sealed class DemoSeeder(
    IOptions<DemoOptions> options,
    IGrainFactory grains,
    IPasswordHasher<Account> hasher,
    TimeProvider clock,
    ILogger<DemoSeeder> log) : IHostedService, IDisposable
{
    private const string Actor = "demo seed";

    private readonly CancellationTokenSource _stopping = new();
    private Task _refreshing = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Seed)
            return;
        var created = await SeedAsync(grains, hasher);
        log.LogInformation("Demo data: {Created} created, {Total} in all", created,
            DemoData.Stations.Count + DemoData.Volunteers.Count + DemoData.Families.Count + DemoData.Accounts.Length);
        if (options.Value.RefreshPositionsEvery > TimeSpan.Zero)
            _refreshing = RefreshPositionsAsync(options.Value.RefreshPositionsEvery, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>
    /// Now, then every <paramref name="every"/>: each demo volunteer on duty whom no demo login drives, and whose position
    /// is at least that old, reports their home position (a login's volunteer is moved by whoever uses it; an off-duty
    /// one stays off; a fresh one is left as it is).
    /// </summary>
    private async Task RefreshPositionsAsync(TimeSpan every, CancellationToken stopping)
    {
        var driven = DemoData.Accounts.Select(a => a.VolunteerId).OfType<Guid>().ToHashSet();
        using var timer = new PeriodicTimer(every, clock);
        do
        {
            try
            {
                foreach (var batch in DemoData.Volunteers.Where(v => !driven.Contains(v.Id)).Chunk(16))
                {
                    await Task.WhenAll(batch.Select(async volunteer =>
                    {
                        var grain = grains.Get<IVolunteerGrain>(volunteer.Id);
                        if (await grain.GetAsync() is { OnDuty: true } view
                            && (view.LastPosition is null || clock.GetUtcNow() - view.LastPosition.At >= every))
                            await grain.ReportPositionAsync(volunteer.HomePosition, 20);
                    }));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Demo volunteers' positions not refreshed this time ({Reason}); trying again in {Every}", e.GetType().Name, every);
            }
        }
        while (await NextTickAsync(timer, stopping));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Creates whatever of the demo region is missing; returns how many entities it created.</summary>
    public static async Task<int> SeedAsync(IGrainFactory grains, IPasswordHasher<Account> hasher)
    {
        var created = 0;
        foreach (var station in DemoData.Stations)
        {
            if (await grains.GetGrain<IStationGrain>(station.Id).CreateAsync(station.Info) is not null)
                created++;
        }

        // Volunteers and families are independent of each other: create them a batch at a time.
        foreach (var batch in DemoData.Volunteers.Chunk(16))
        {
            var results = await Task.WhenAll(batch.Select(SeedVolunteerAsync));
            created += results.Count(r => r);
        }
        foreach (var batch in DemoData.Families.Chunk(16))
        {
            var results = await Task.WhenAll(batch.Select(f => grains.GetGrain<IFamilyFileGrain>(f.Id)
                .CreateAsync(f.File, NormalizedPhones(f.File), Actor)));
            created += results.Count(r => r is not null);
        }
        foreach (var demo in DemoData.Accounts)
        {
            var draft = new Account(DemoData.NameGuid("outreach-demo/account/" + demo.Login), demo.Login, demo.Name, demo.Roles, "", demo.VolunteerId);
            var account = draft with { PasswordHash = hasher.HashPassword(draft, DemoData.DemoPassword) };
            if (await grains.GetGrain<IAccountGrain>(AccountKeys.For(demo.Login)).CreateAsync(account))
                created++;
        }
        return created;

        async Task<bool> SeedVolunteerAsync(DemoVolunteer volunteer)
        {
            var grain = grains.Get<IVolunteerGrain>(volunteer.Id);
            // Stored as the API stores a volunteer's phone (E.164), so an SMS reply from it matches its code.
            var profile = volunteer.Profile with { Phone = Phones.Normalize(volunteer.Profile.Phone) ?? volunteer.Profile.Phone };
            if (await grain.CreateAsync(profile) is null)
                return false;
            // A fresh demo volunteer starts on duty at home, so the map has people on it.
            await grain.ReportPositionAsync(volunteer.HomePosition, 20);
            await grain.SetDutyAsync(true);
            return true;
        }
    }

    private static string[] NormalizedPhones(FamilyFileInput file) =>
        [.. file.FamilyMembers.Select(m => m.Phone).Prepend(file.WorkerPhone).Select(Phones.Normalize).OfType<string>().Distinct()];

}
