using Outreach.Model;
using Outreach.Volunteers;

namespace Outreach.Demo;

/// <summary>A demo volunteer, the key its grain is created under and where they live.</summary>
public sealed record DemoVolunteer(Guid Id, VolunteerProfile Profile, GeoPoint HomePosition);
