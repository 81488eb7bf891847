using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Outreach.Accounts;
using Outreach.Cluster;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Live;
using Outreach.Reach;
using Outreach.Stations;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Volunteers;

namespace Outreach.Tests.Cluster;

/// <summary>
/// <see cref="GrainRefs"/>' <c>Get</c> (Guid, string and integer keys) gives the reference <c>GetGrain&lt;T&gt;</c> gives (same grain, same interface), for
/// each interface it is used with, and calls through it reach the grain.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class GrainRefsTests(SystemFixture fixture)
{
    [Fact]
    public async Task Get_IsTheSameReferenceAsGetGrain_AndCallsReachTheGrain()
    {
        var scene = new Scene(fixture.Web);
        using var hotline = await TestUsers.CreateAsync(fixture.Web, "operator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(50, 50));
        var id = await scene.RequestAsync(hotline.Client);
        using var host = await fixture.System.StartClientHostAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        foreach (var key in new[] { id, Guid.NewGuid() })
        {
            Same(grains.GetGrain<IHelpRequestGrain>(key), grains.Get<IHelpRequestGrain>(key));
            Same(grains.GetGrain<IRequestReachGrain>(key), grains.Get<IRequestReachGrain>(key));
            Same(grains.GetGrain<IVolunteerGrain>(key), grains.Get<IVolunteerGrain>(key));
        }
        foreach (var key in new[] { "geo/120/340", "a", "账户" })
        {
            Same(grains.GetGrain<IDispatchCellGrain>(key), grains.Get<IDispatchCellGrain>(key));
            Same(grains.GetGrain<IAccountGrain>(key), grains.Get<IAccountGrain>(key));
            Same(grains.GetGrain<IDirectoryGrain<StationView>>(key), grains.Get<IDirectoryGrain<StationView>>(key));
        }
        foreach (var key in new[] { 0L, 7L, -3L })
            Same(grains.GetGrain<ILiveNotifierGrain>(key), grains.Get<ILiveNotifierGrain>(key));
        Same(grains.GetGrain<ILiveRegistryGrain>(LiveKeys.Registry), grains.LiveRegistry());
        var request = await grains.Get<IHelpRequestGrain>(id).GetAsync();
        var record = await grains.Get<IVolunteerGrain>(volunteer.VolunteerId!.Value).GetAsync();
        await host.StopAsync();

        Assert.Equal(id, request!.Id);
        Assert.Equal(volunteer.VolunteerId, record!.Id);
    }

    private static void Same<T>(T expected, T actual) where T : IAddressable
    {
        Assert.Equal(expected.GetGrainId(), actual.GetGrainId());
        Assert.Equal(((GrainReference)(object)expected).InterfaceType, ((GrainReference)(object)actual).InterfaceType);
        Assert.Equal(expected, actual);
    }
}
