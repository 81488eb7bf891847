using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Browser;

/// <summary>Browser tests sharing one running system and one Chromium.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<SystemFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
