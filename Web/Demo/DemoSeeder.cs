using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Outreach.Accounts;
using Outreach.Demo;
using Outreach.Files;
using Outreach.Stations;
using Outreach.Volunteers;

namespace Outreach.Web.Demo;

/// <summary>
/// Creates the demo region when <c>Outreach:Demo:Seed</c> is on. Idempotent: every demo entity has a fixed
/// id and is only created when absent, so seeding again (or from a second web node) changes nothing.
/// </summary>
public sealed class DemoSeeder(
    IOptions<DemoOptions> options,
    IGrainFactory grains,
    IPasswordHasher<Account> hasher,
    ILogger<DemoSeeder> log) : IHostedService
{
    private const string Actor = "demo seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Seed)
            return;
        var created = await SeedAsync(grains, hasher);
        log.LogInformation("Demo data: {Created} created, {Total} in all", created,
            DemoData.Stations.Count + DemoData.Volunteers.Count + DemoData.Families.Count + DemoData.Accounts.Length);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
            var grain = grains.GetGrain<IVolunteerGrain>(volunteer.Id);
            if (await grain.CreateAsync(volunteer.Profile) is null)
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
