namespace Outreach.Web.Live;

/// <summary>Names of the SignalR groups events are sent to.</summary>
public static class LiveGroups
{
    public const string Coordinators = "coordinators";

    public static string Account(Guid accountId) => $"account:{accountId}";

    public static string Volunteer(Guid volunteerId) => $"volunteer:{volunteerId}";
}
