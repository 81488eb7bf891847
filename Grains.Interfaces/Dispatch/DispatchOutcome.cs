namespace Outreach.Dispatch;

/// <summary>How an action on a request ended.</summary>
[GenerateSerializer, Alias("Outreach.DispatchOutcome")]
public enum DispatchOutcome
{
    /// <summary>Done.</summary>
    Ok,
    /// <summary>No request under this id.</summary>
    NotFound,
    /// <summary>Someone else claimed it first.</summary>
    AlreadyTaken,
    /// <summary>The request is closed (completed or cancelled) or not in a state that allows this.</summary>
    NotOpen,
    /// <summary>The step is not the next one from the current status.</summary>
    OutOfOrder,
    /// <summary>The actor may not do this to this request (e.g. not the assigned volunteer, never offered).</summary>
    Forbidden,
    /// <summary>The volunteer already carries as many requests as their capacity allows.</summary>
    AtCapacity,
    /// <summary>A coordinator's assignment goes against the rules (off duty, lacks the skill) and was not forced.</summary>
    NeedsConfirmation,
}
