using Outreach.Model;

namespace Outreach.Grains.Reach;

/// <summary>
/// Which channels carry a request's offers, and after how long (configuration section <c>Reach</c>). The live page
/// always gets an offer at once; the other channels follow their urgency's step of the ladder. A step after a delay
/// runs only while the request is still waiting for a claim, and for SMS only to volunteers no device has
/// acknowledged. A step set to nothing (empty) is never taken.
/// </summary>
public sealed class ReachOptions
{
    public const string Section = "Reach";

    /// <summary>The address the links in robots' messages and SMS start with (e.g. <c>https://outreach.example.org</c>).</summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    public ReachLadder Emergency { get; set; } = new() { Push = TimeSpan.Zero, Robot = TimeSpan.Zero, Sms = TimeSpan.FromSeconds(30) };

    public ReachLadder Urgent { get; set; } = new() { Push = TimeSpan.Zero, Robot = TimeSpan.FromSeconds(30) };

    public ReachLadder Routine { get; set; } = new() { Push = TimeSpan.Zero, Robot = TimeSpan.FromMinutes(2) };

    /// <summary>The ladder of an urgency.</summary>
    public ReachLadder LadderOf(Urgency urgency) => urgency switch
    {
        Urgency.Emergency => Emergency,
        Urgency.Urgent => Urgent,
        _ => Routine,
    };
}

/// <summary>After how long each channel is taken for a new offer; null: never.</summary>
public sealed class ReachLadder
{
    public TimeSpan? Push { get; set; }

    public TimeSpan? Robot { get; set; }

    public TimeSpan? Sms { get; set; }
}
