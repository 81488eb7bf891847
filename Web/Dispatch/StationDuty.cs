namespace Outreach.Web.Dispatch;

/// <summary>How many volunteers of a station are on duty now (a null station: volunteers with no home station).</summary>
public sealed record StationDuty(Guid? StationId, string? StationName, int OnDuty);
