namespace Outreach.Web.Accounts;

/// <summary>The administrator created at start-up when the login does not exist yet (<c>Outreach:BootstrapAdmin</c>).</summary>
public sealed class BootstrapAdminOptions
{
    public const string Section = "Outreach:BootstrapAdmin";

    public string? Login { get; set; }

    public string? Password { get; set; }

    public string Name { get; set; } = "系统管理员";
}
