namespace Outreach.Grains.Dispatch;

/// <summary>
/// One completed service of a request (志愿时长): the volunteer who completed it, from when they set off (en route,
/// or the claim when they never reported setting off) to the completion, and the family's answer at the follow-up.
/// <see cref="Seq"/> counts the request's completions (a request reopened after an unsatisfied follow-up and
/// completed again has a second entry); it is the record's key with the request id in <c>outreach_service_records</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Outreach.ServiceEntry")]
public sealed record ServiceEntry(
    [property: Id(0)] int Seq,
    [property: Id(1)] Guid VolunteerId,
    [property: Id(2)] string VolunteerName,
    [property: Id(3)] DateTimeOffset StartedAt,
    [property: Id(4)] DateTimeOffset CompletedAt,
    [property: Id(5)] bool? Satisfied = null,
    [property: Id(6)] int? Rating = null)
{
    /// <summary>The recorded time of the service in minutes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double Minutes => (CompletedAt - StartedAt).TotalMinutes;
}
