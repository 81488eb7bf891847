namespace Outreach.Model;

/// <summary>Where a help request is in its lifecycle.</summary>
[GenerateSerializer, Alias("Outreach.RequestStatus")]
public enum RequestStatus
{
    /// <summary>Recorded, not yet offered (only inside the intake step).</summary>
    New,
    /// <summary>Offered to the volunteers in the circle; waiting for a claim.</summary>
    Offered,
    /// <summary>One volunteer claimed it (or a coordinator assigned it).</summary>
    Claimed,
    /// <summary>The volunteer is on the way.</summary>
    EnRoute,
    /// <summary>The volunteer is with the family.</summary>
    OnSite,
    /// <summary>Done.</summary>
    Completed,
    /// <summary>Withdrawn by an operator or coordinator.</summary>
    Cancelled,
}
