using Outreach.Reach;

namespace Outreach.Contracts;

/// <summary>One line of a request's delivery record, for coordinators: when, to whom, which event and channel, the answer.</summary>
public sealed record DeliveryDto(DateTimeOffset At, Guid? VolunteerId, string Event, string Channel, string Outcome, string? Detail)
{
    public static DeliveryDto From(DeliveryRecord record) => new(record.At, record.VolunteerId, record.Event,
        record.Channel.ToString().ToLowerInvariant(), record.Outcome, record.Detail);
}
