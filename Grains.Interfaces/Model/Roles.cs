namespace Outreach.Model;

/// <summary>The role words of the public contract.</summary>
public static class Roles
{
    public const string Operator = "operator";
    public const string Volunteer = "volunteer";
    public const string Coordinator = "coordinator";
    public const string Admin = "admin";

    /// <summary>Every role, in the order the contract lists them.</summary>
    public static readonly IReadOnlyList<string> All = [Operator, Volunteer, Coordinator, Admin];
}
