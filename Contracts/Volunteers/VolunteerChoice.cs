using Outreach.Model;
using Outreach.Volunteers;

namespace Outreach.Contracts;

/// <summary>A volunteer as the picker offers them: name, skills, home station and duty — no phone.</summary>
public sealed record VolunteerChoice(Guid Id, string Name, HelpCategory[] Skills, Guid? StationId, bool OnDuty)
{
    public static VolunteerChoice From(VolunteerSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(summary.Id, summary.Name, summary.Skills, summary.HomeStationId, summary.OnDuty);
    }
}
