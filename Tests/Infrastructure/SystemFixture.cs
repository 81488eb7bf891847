namespace Outreach.Tests.Infrastructure;

/// <summary>One running system (a silo and a web node on a fresh database) shared by the API tests.</summary>
public sealed class SystemFixture : IAsyncLifetime
{
    private OutreachSystem? _system;

    public OutreachSystem System => _system ?? throw new InvalidOperationException("The system is not started.");

    public WebNode Web => System.Web;

    public async Task InitializeAsync() => _system = await OutreachSystem.StartAsync("api");

    public async Task DisposeAsync()
    {
        if (_system is not null)
            await _system.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SystemCollection : ICollectionFixture<SystemFixture>
{
    public const string Name = "System";
}
