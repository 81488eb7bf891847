namespace Outreach.Sms;

/// <summary>What a received text came to.</summary>
[GenerateSerializer, Alias("Outreach.InboundOutcome")]
public enum InboundOutcome
{
    /// <summary>The code was the sender's open code and their claim won (answered 接单成功).</summary>
    Claimed,
    /// <summary>The code was theirs but the request was taken or closed meanwhile (answered 已被他人接单).</summary>
    Taken,
    /// <summary>No open code of this sender's number (wrong, expired, used, or another phone's): answered 代码无效.</summary>
    Invalid,
    /// <summary>The provider delivered this message before and it was handled then: nothing is done or answered again.</summary>
    Duplicate,
    /// <summary>
    /// Another delivery of this message is being handled (within its lease): nothing is done now; the provider is
    /// answered 503 and delivers it again later.
    /// </summary>
    Underway,
}
