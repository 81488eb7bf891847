namespace Outreach.Database;

/// <summary>One hour of the last day's chart: requests created and completed in [<see cref="Hour"/>, +1 h).</summary>
public sealed record HourlyPoint(DateTimeOffset Hour, int Created, int Completed);
