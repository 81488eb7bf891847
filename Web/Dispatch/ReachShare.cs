namespace Outreach.Web.Dispatch;

/// <summary>
/// Of the requests a volunteer reached (<see cref="Arrived"/>), how many were reached within the service circle's
/// <see cref="CircleMinutes"/> (the configured circle) of the request (<see cref="OnTime"/>), and the share (null when none arrived).
/// </summary>
public sealed record ReachShare(double CircleMinutes, int Arrived, int OnTime, double? Share);
