namespace Outreach.Sms;

/// <summary>One text message received: the sender's number in E.164 (never logged) and what they wrote.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.InboundSms")]
public sealed record InboundSms([property: Id(0)] string Phone, [property: Id(1)] string Text);
