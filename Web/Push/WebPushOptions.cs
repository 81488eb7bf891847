namespace Outreach.Web.Push;

/// <summary>Web Push on the web node (configuration section <c>Push</c>; the silo reads the same section).</summary>
public sealed class WebPushOptions
{
    public const string Section = "Push";

    /// <summary>Also accept <c>http://</c> loopback endpoints (development and tests only; off by default).</summary>
    public bool AllowHttpEndpoints { get; set; }
}
