namespace Outreach.Web.Dispatch;

/// <summary>Of the requests a volunteer reached (<see cref="Arrived"/>), how many within the target time, and the share (null when none arrived).</summary>
public sealed record ReachShare(int Arrived, int OnTime, double? Share);
