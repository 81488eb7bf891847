using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Outreach.Cluster;
using Outreach.Dispatch;
using Outreach.Reach;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;
using Outreach.Volunteers;

namespace Outreach.Tests.Cluster;

/// <summary>
/// <see cref="GrainRefs.Get{T}"/> gives the reference <c>GetGrain&lt;T&gt;</c> gives (same grain, same interface), for
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
