namespace Outreach.Web.Accounts;

/// <summary>The administrator created or reset at start-up (<c>Outreach:BootstrapAdmin</c>).</summary>
public sealed class BootstrapAdminOptions
{
    public const string Section = "Outreach:BootstrapAdmin";

    public string? Login { get; set; }

    public string? Password { get; set; }

    public string Name { get; set; } = "系统管理员";
}
