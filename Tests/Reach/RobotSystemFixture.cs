using Outreach.Reach;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Reach;

/// <summary>
/// A real system (silo and web processes on a fresh database) whose station robots may be on the test's
/// <see cref="RobotProviders"/> (its loopback host listed in <c>Robots__AllowedHosts</c>, http allowed there), with
/// the group step of the ladder at once for every urgency and short retries, and an Orleans client to read the
/// delivery record.
/// </summary>
public sealed class RobotSystemFixture : ClientSystemFixture
{
    /// <summary>What the links in the groups' messages start with.</summary>
    public const string PublicUrl = "https://outreach.example.org";

    /// <summary>Attempts per post in this system.</summary>
    public const int Attempts = 3;

    public RobotProviders Providers { get; } = new();

    protected override Task<OutreachSystem> StartSystemAsync()
    {
        var robots = new Dictionary<string, string>
        {
            ["Robots__AllowedHosts"] = $"qyapi.weixin.qq.com,oapi.dingtalk.com,{Providers.Host}",
            ["Robots__AllowHttp"] = "true",
        };
        var silo = new Dictionary<string, string>(robots)
        {
            ["Robots__Attempts"] = Attempts.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
            ["Robots__AttemptTimeout"] = "00:00:02",
            ["Robots__FirstRetryDelay"] = "00:00:00.200",
            ["Reach__PublicUrl"] = PublicUrl,
            ["Reach__Emergency__Robot"] = "00:00:00",
            ["Reach__Urgent__Robot"] = "00:00:00",
            ["Reach__Routine__Robot"] = "00:00:00",
            // The silo's own HTTP client and grain logs at Information, so a test can see that no webhook is printed.
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__System.Net.Http"] = "Information",
        };
        return OutreachSystem.StartAsync("robots", siloSettings: silo, webSettings: robots);
    }

    /// <summary>Waits (≤ 30 s) until the request's delivery record holds what <paramref name="done"/> wants.</summary>
    public async Task<DeliveryRecord[]> DeliveriesAsync(Guid requestId, Func<DeliveryRecord[], bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var records = await Client.GetGrain<IRequestReachGrain>(requestId).GetDeliveriesAsync();
            if (done(records))
                return records;
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The delivery record of {requestId} did not show {what} within 30 s; it holds: "
                    + string.Join(" | ", records.Select(r => $"{r.Event} {r.Channel} {r.Outcome} {r.Detail}")));
            }
            await Task.Delay(200);
        }
    }

    protected override ValueTask DisposeStandInsAsync() => Providers.DisposeAsync();
}
