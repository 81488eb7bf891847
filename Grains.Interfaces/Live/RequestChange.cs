using Outreach.Dispatch;

namespace Outreach.Live;

/// <summary>
/// A request changed. Coordinators always hear of it; so do the listed accounts (the operator who took the
/// call) and volunteers (the assigned one, and one just released or replaced).
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.RequestChange")]
public sealed record RequestChange(
    [property: Id(0)] HelpRequestView Request,
    [property: Id(1)] Guid[] Accounts,
    [property: Id(2)] Guid[] Volunteers);
