namespace Outreach.Web.Hours;

/// <summary>What the service certificate says about who issues it (configuration section <c>Certificate</c>).</summary>
public sealed class CertificateOptions
{
    public const string Section = "Certificate";

    /// <summary>The union's name, printed as the issuer (<c>Certificate__UnionName</c>).</summary>
    public string UnionName { get; set; } = "中原油田工会";
}
