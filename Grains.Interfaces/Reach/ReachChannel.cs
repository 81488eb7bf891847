namespace Outreach.Reach;

/// <summary>A way news reaches someone.</summary>
public enum ReachChannel
{
    /// <summary>The live page (SignalR).</summary>
    Socket,
    /// <summary>Web Push to a volunteer's browser.</summary>
    Push,
    /// <summary>A station group's robot (WeCom, DingTalk).</summary>
    Robot,
    /// <summary>A text message.</summary>
    Sms,
}
