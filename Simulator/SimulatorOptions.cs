using System.Globalization;

namespace Outreach.Simulator;

/// <summary>What the simulator does, from the environment (run.sh sets these).</summary>
internal sealed record SimulatorOptions(
    Uri WebUrl, double RequestsPerMinute, int Volunteers, string AdminLogin, string AdminPassword, string VolunteerPassword)
{
    /// <summary>The password of the demo volunteers' accounts in Development, so a developer can sign in as one.</summary>
    public const string DevelopmentVolunteerPassword = "outreach-simulated";

    /// <summary>
    /// The settings. The fixed passwords (the volunteers' and the default administrator's) are for Development only
    /// (<c>DOTNET_ENVIRONMENT=Development</c>, as run.sh sets): elsewhere the administrator's password must be given and
    /// every run gives the volunteers' accounts a new random password.
    /// </summary>
    public static SimulatorOptions FromEnvironment(string[] args)
    {
        string Setting(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
        var development = string.Equals(Setting("DOTNET_ENVIRONMENT", Setting("ASPNETCORE_ENVIRONMENT", "Production")), "Development",
            StringComparison.OrdinalIgnoreCase);
        var adminPassword = Setting("Outreach__BootstrapAdmin__Password", development ? "outreach-admin" : "");
        if (adminPassword.Length == 0)
            throw new ArgumentException("Outreach__BootstrapAdmin__Password is required outside Development (DOTNET_ENVIRONMENT).");
        var rateText = args.Length > 0 ? args[0] : Setting("OUTREACH_SIMULATE", "6");
        if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 6000)
            throw new ArgumentException($"The request rate must be a number of requests per minute from 0 to 6000 (is '{rateText}').");
        var volunteersText = Setting("OUTREACH_SIM_VOLUNTEERS", "30");
        if (!int.TryParse(volunteersText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var volunteers) || volunteers is < 1 or > 1000)
            throw new ArgumentException($"OUTREACH_SIM_VOLUNTEERS must be 1 to 1000 (is '{volunteersText}').");
        return new SimulatorOptions(
            new Uri(Setting("OUTREACH_SIM_URL", "http://127.0.0.1:5080")),
            rate,
            volunteers,
            Setting("Outreach__BootstrapAdmin__Login", "admin"),
            adminPassword,
            development ? DevelopmentVolunteerPassword : "sim-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
    }
}
