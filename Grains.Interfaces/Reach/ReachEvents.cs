namespace Outreach.Reach;

/// <summary>The events of the delivery record (<see cref="DeliveryRecord.Event"/>): one word each, shared by every channel.</summary>
public static class ReachEvents
{
    public const string Offer = "offer";
    public const string Withdrawn = "withdrawn";
    public const string Claimed = "claimed";
    public const string OnSite = "onSite";
    public const string Completed = "completed";
}

/// <summary>What a channel answered (<see cref="DeliveryRecord.Outcome"/>).</summary>
public static class DeliveryOutcomes
{
    /// <summary>Handed to the channel (a live batch published; nothing is known of the device yet).</summary>
    public const string Sent = "sent";
    /// <summary>A device showed it (the page or the service worker said so).</summary>
    public const string Seen = "seen";
    /// <summary>The provider took it (push service 201, robot errcode 0, SMS provider OK).</summary>
    public const string Accepted = "accepted";
    /// <summary>The target no longer exists (push subscription 404/410); it was removed.</summary>
    public const string Gone = "gone";
    /// <summary>The provider refused it or could not be reached, after retries.</summary>
    public const string Failed = "failed";
}
