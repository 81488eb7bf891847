using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Sms;

/// <summary>
/// A real silo and web node whose SMS go to a local Aliyun stand-in (<see cref="AliyunSmsService"/>), with the ladder's
/// SMS step of Emergency offers shortened to 2 s, provider calls timed out after 2 s, and an Orleans client for reading
/// a request's delivery record.
/// </summary>
public sealed class SmsSystemFixture : ClientSystemFixture
{
    public const string Hotline = "0393-4812345";
    public const string InboundToken = "inbound-test-token-5d1c9e";
    public const string PublicUrl = "https://outreach.example.org";

    /// <summary>How long a reply taken up is its handler's alone (short here, for the tests of a handling that failed).</summary>
    public static readonly TimeSpan InboundLease = TimeSpan.FromSeconds(3);

    public AliyunSmsService Provider { get; } = new();

    /// <summary>The web settings of this system (for an extra node with one changed).</summary>
    public static Dictionary<string, string> WebSettings => new()
    {
        ["Sms__Provider"] = "aliyun",
        ["Sms__InboundToken"] = InboundToken,
        ["Sms__Hotline"] = Hotline,
        ["Outreach__RateLimits__StatusPerAddress"] = "1000000",
        ["Outreach__RateLimits__SmsInboundPerAddress"] = "1000000",
    };

    protected override Task<OutreachSystem> StartSystemAsync()
    {
        var silo = Provider.SiloSettings(Hotline);
        silo["Reach__PublicUrl"] = PublicUrl;
        silo["Reach__Emergency__Sms"] = "00:00:02";
        silo["Sms__Timeout"] = "00:00:02";
        silo["Sms__Retries"] = "1";
        silo["Sms__InboundLease"] = SmsSystemFixture.InboundLease.ToString("c", global::System.Globalization.CultureInfo.InvariantCulture);
        return OutreachSystem.StartAsync("sms", siloSettings: silo, webSettings: WebSettings);
    }

    protected override ValueTask DisposeStandInsAsync() => Provider.DisposeAsync();
}
