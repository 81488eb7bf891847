namespace Outreach.Sms;

/// <summary>
/// One text message received: the sender's number in E.164 (never logged), what they wrote, and the provider's id of
/// the message (Aliyun's <c>sequence_id</c>), by which a message delivered again is known; null when it sent none.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.InboundSms")]
public sealed record InboundSms([property: Id(0)] string Phone, [property: Id(1)] string Text, [property: Id(2)] string? ProviderId = null);
