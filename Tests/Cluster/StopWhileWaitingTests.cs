using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Cluster;

/// <summary>A web node asked to stop while it still waits for the cluster stops cleanly, not with a crash.</summary>
[Category(TestCategory.System)]
public sealed class StopWhileWaitingTests
{
    [Fact]
    public async Task WebNode_StoppedWhileTheClusterIsUnreachable_ExitsZero_WithoutAnUnhandledException()
    {
        await using var web = ChildProcess.Start("web-waiting", RepoPaths.WebDll, new Dictionary<string, string>(OutreachSystem.WebDefaults)
        {
            ["ConnectionStrings__Outreach"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=none;Database=none",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Next()}",
            ["Outreach__PhoneKey"] = TestSecrets.PhoneKey,
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!web.Printed("retrying in") && !web.HasExited && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.True(web.Printed("retrying in"), $"the web node never said it was waiting:\n{web.Tail()}");

        var exitCode = await web.StopAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{web.Tail()}");
        Assert.True(web.Printed("Stopped before the Orleans cluster was reached."), web.Tail());
        Assert.False(web.Printed("Unhandled exception"), web.Tail());
    }
}
