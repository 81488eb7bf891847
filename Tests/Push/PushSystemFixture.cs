using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Push;

/// <summary>
/// A running system whose silo and web node accept <c>http://</c> loopback push endpoints
/// (<c>Push__AllowHttpEndpoints=true</c>), and a push service on loopback that it posts to.
/// </summary>
public sealed class PushSystemFixture : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Settings = new() { ["Push__AllowHttpEndpoints"] = "true" };

    private OutreachSystem? _system;

    public OutreachSystem System => _system ?? throw new InvalidOperationException("The system is not started.");

    public WebNode Web => System.Web;

    public PushServiceListener PushService { get; } = new();

    public async Task InitializeAsync() => _system = await OutreachSystem.StartAsync("push", siloSettings: Settings, webSettings: Settings);

    public async Task DisposeAsync()
    {
        if (_system is not null)
            await _system.DisposeAsync();
        await PushService.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PushCollection : ICollectionFixture<PushSystemFixture>
{
    public const string Name = "Push";
}
