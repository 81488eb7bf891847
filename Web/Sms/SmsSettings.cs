namespace Outreach.Web.Sms;

/// <summary>
/// What the web node reads of the <c>Sms</c> section (the silo reads the rest): which provider's callbacks are
/// accepted, the shared secret in their URL, and the hotline the status page shows.
/// </summary>
public sealed class SmsSettings
{
    public const string Section = "Sms";

    /// <summary><c>console</c> (no callbacks accepted) or <c>aliyun</c>.</summary>
    public string Provider { get; set; } = "console";

    /// <summary>
    /// The secret the provider's callback URL carries as <c>?token=</c> (Aliyun's SmsUp HTTP push is not signed; the
    /// URL configured in its console is the only thing a forger would not know). Unset: no callback is accepted.
    /// </summary>
    public string? InboundToken { get; set; }

    /// <summary>The hotline number the status page shows.</summary>
    public string Hotline { get; set; } = "";
}
