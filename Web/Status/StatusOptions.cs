using System.ComponentModel.DataAnnotations;

namespace Outreach.Web.Status;

/// <summary>The family's status page (configuration section <c>Status</c>; the hotline is <c>Sms:Hotline</c>).</summary>
public sealed class StatusOptions
{
    public const string Section = "Status";

    /// <summary>How long after its request closes (completed, cancelled) a status link still opens.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ExpireAfterClose { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Whether the page shows how far away the volunteer is (to 100 m) while on the way; off by default: before
    /// arrival nothing of the volunteer's position is shown unless the union turns this on.
    /// </summary>
    public bool ShowVolunteerDistance { get; set; }

    /// <summary>A page's reads of the JSON are audited at most this often (it polls every few seconds).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AuditPollsEvery { get; set; } = TimeSpan.FromMinutes(1);
}
