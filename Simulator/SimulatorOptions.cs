using System.Globalization;

namespace Outreach.Simulator;

/// <summary>What the simulator does, from the environment (run.sh sets these).</summary>
internal sealed record SimulatorOptions(Uri WebUrl, double RequestsPerMinute, int Volunteers, string AdminLogin, string AdminPassword)
{
    /// <summary>The password of the accounts the simulator makes for demo volunteers.</summary>
    public const string VolunteerPassword = "outreach-simulated";

    public static SimulatorOptions FromEnvironment(string[] args)
    {
        string Setting(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
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
            Setting("Outreach__BootstrapAdmin__Password", "outreach-admin"));
    }
}
