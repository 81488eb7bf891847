using System.Diagnostics.CodeAnalysis;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>
/// A request as a volunteer sees it once it is no longer their job (completed, cancelled, released, reassigned):
/// where it stands and who has it, never the address, the caller's phone, the description or the exact place.
/// </summary>
public sealed record MaskedRequestDto
{
    public required Guid Id { get; init; }
    public required RequestStatus Status { get; init; }
    public required HelpCategory Category { get; init; }
    public required Urgency Urgency { get; init; }
    public required PositionDto ApproxPosition { get; init; }
    public Guid? AssignedVolunteerId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClaimedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public required int Version { get; init; }

    /// <summary>Always true: tells a page this is not the full view.</summary>
    [SuppressMessage("Performance", "CA1822", Justification = "An instance member, so the JSON answer carries it.")]
    public bool Masked => true;

    public static MaskedRequestDto From(HelpRequestView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new MaskedRequestDto
        {
            Id = view.Id,
            Status = view.Status,
            Category = view.Category,
            Urgency = view.Urgency,
            ApproxPosition = PositionDto.From(GeoMath.Approximate(view.Position)),
            AssignedVolunteerId = view.AssignedVolunteerId,
            CreatedAt = view.CreatedAt,
            ClaimedAt = view.ClaimedAt,
            CompletedAt = view.CompletedAt,
            ClosedAt = view.ClosedAt,
            Version = view.Version,
        };
    }
}
