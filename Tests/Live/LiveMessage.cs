using System.Text.Json;

namespace Outreach.Tests.Live;

/// <summary>One event a <see cref="LiveListener"/> received: its name and its raw JSON payload.</summary>
public sealed record LiveMessage(string Event, JsonElement Payload)
{
    /// <summary>When the listener received it.</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The event's <c>seq</c>.</summary>
    public long Seq => Payload.GetProperty("seq").GetInt64();
}
