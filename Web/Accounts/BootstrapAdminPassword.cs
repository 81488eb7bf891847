namespace Outreach.Web.Accounts;

/// <summary>
/// Outside <c>Development</c> the web node refuses to start with a default or weak bootstrap password: the demo
/// passwords, fewer than <see cref="MinimumLength"/> characters, the login itself, or one character repeated.
/// </summary>
public static class BootstrapAdminPassword
{
    public const int MinimumLength = 12;

    /// <summary>Passwords published in this repository's README, scripts and demo data.</summary>
    private static readonly string[] Published = ["outreach-admin", "outreach-demo", "changeme", "password"];

    /// <summary>Why the configured password is refused, or null when it may be used.</summary>
    public static string? Weakness(string? login, string? password)
    {
        if (string.IsNullOrEmpty(password))
            return null; // no bootstrap administrator at all
        if (Published.Contains(password, StringComparer.OrdinalIgnoreCase))
            return "it is a published default";
        if (password.Length < MinimumLength)
            return $"it is shorter than {MinimumLength} characters";
        if (string.Equals(password.Trim(), login?.Trim(), StringComparison.OrdinalIgnoreCase))
            return "it is the login";
        if (password.Distinct().Count() == 1)
            return "it is one character repeated";
        return null;
    }

    /// <summary>The one line to print before refusing to start, or null when the node may start.</summary>
    public static string? Refusal(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
            return null;
        var section = configuration.GetSection(BootstrapAdminOptions.Section);
        return Weakness(section["Login"], section["Password"]) is { } why
            ? $"Refusing to start: the bootstrap administrator's password (Outreach__BootstrapAdmin__Password) is weak: {why}. " +
              $"Set a password of at least {MinimumLength} characters, or run with ASPNETCORE_ENVIRONMENT=Development for a demo."
            : null;
    }
}
