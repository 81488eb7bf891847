namespace Outreach.Database;

/// <summary>How long something took, in minutes, over the requests where it happened (null when none did).</summary>
public sealed record MinutesFigures(int Count, double? MedianMinutes, double? P90Minutes);
