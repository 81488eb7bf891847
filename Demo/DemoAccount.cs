namespace Outreach.Demo;

/// <summary>A demo login: its name, the person behind it, their roles and, for a volunteer, their volunteer id.</summary>
public sealed record DemoAccount(string Login, string Name, string[] Roles, Guid? VolunteerId);
