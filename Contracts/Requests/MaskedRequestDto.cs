using System.Diagnostics.CodeAnalysis;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>
/// A request as a volunteer sees it once it is no longer their job (completed, cancelled, released, reassigned):
/// where it stands and who has it, never the address, the caller's phone, the description or the exact place.
/// </summary>
public sealed record MaskedRequestDto(
    Guid Id,
    RequestStatus Status,
    HelpCategory Category,
    Urgency Urgency,
    PositionDto ApproxPosition,
    Guid? AssignedVolunteerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClaimedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? ClosedAt,
    int Version)
{
    /// <summary>Always true: tells a page this is not the full view.</summary>
    [SuppressMessage("Performance", "CA1822", Justification = "An instance member, so the JSON answer carries it.")]
    public bool Masked => true;

    public static MaskedRequestDto From(HelpRequestView view) => new(
        view.Id, view.Status, view.Category, view.Urgency, PositionDto.From(GeoMath.Approximate(view.Position)),
        view.AssignedVolunteerId, view.CreatedAt, view.ClaimedAt, view.CompletedAt, view.ClosedAt, view.Version);
}
