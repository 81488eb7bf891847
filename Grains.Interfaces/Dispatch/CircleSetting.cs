using System.ComponentModel.DataAnnotations;

namespace Outreach.Dispatch;

/// <summary>
/// The service circle as configured (<c>Dispatch:CircleMinutes</c>, 15分钟服务圈): the silo offers a request within it
/// (<c>DispatchOptions</c>), and the web's figures count the arrivals within it. Set it on both.
/// </summary>
public sealed class CircleSetting
{
    /// <summary>The configuration section, shared with the silo's <c>DispatchOptions</c>.</summary>
    public const string Section = "Dispatch";

    /// <summary>The circle when nothing is configured.</summary>
    public const double DefaultMinutes = 15;

    /// <summary>A volunteer is in the circle when their estimated travel time is at most this.</summary>
    [Range(1, 240)]
    public double CircleMinutes { get; set; } = DefaultMinutes;
}
