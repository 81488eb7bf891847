using Outreach.Web.Security;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

[Category(TestCategory.Unit)]
public sealed class TileSourceTests
{
    [Theory]
    [InlineData("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org")]
    [InlineData("https://tiles.example.cn:8443/{z}/{x}/{y}.png", "https://tiles.example.cn:8443")]
    [InlineData("http://Tiles.Example.org/{z}/{x}/{y}.png?key=1", "http://tiles.example.org")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("/tiles/{z}/{x}/{y}.png", null)]
    [InlineData("javascript:alert(1)//{z}", null)]
    [InlineData("https://tile.{s}.example.org/{z}.png", null)]
    [InlineData("https://a b.example.org/{z}.png", null)]
    [InlineData("https://x.example.org;script-src *'/{z}.png", null)]
    public void From_TileUrlTemplate_GivesTheCspSource(string url, string? expected) =>
        Assert.Equal(expected, TileSource.From(url));
}
