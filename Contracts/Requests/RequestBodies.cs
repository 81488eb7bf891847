using System.ComponentModel.DataAnnotations;
using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>Body of <c>POST /api/requests</c>.</summary>
public sealed record NewRequestBody(
    [Required, PhoneNumber] string CallerPhone,
    HelpCategory Category,
    Urgency Urgency,
    [Required] PositionDto Position,
    [Required, StringLength(200, MinimumLength = 2)] string Address,
    [StringLength(2000)] string? Description = null,
    Guid? WorkerId = null)
{
    public NewHelpRequest ToRequest() => new(WorkerId, Phones.Normalize(CallerPhone) ?? CallerPhone.Trim(), Category, Urgency,
        Position.ToGeoPoint(), Address.Trim(), Description?.Trim() ?? "");
}

/// <summary>Body of <c>POST /api/requests/{id}/status</c>.</summary>
public sealed record StatusBody(RequestStatus Status, [StringLength(1000)] string? Note = null);

/// <summary>Body of <c>POST /api/requests/{id}/release</c> and <c>/cancel</c>.</summary>
public sealed record ReasonBody([Required, StringLength(500)] string Reason);

/// <summary>Body of <c>POST /api/requests/{id}/assign</c>.</summary>
public sealed record AssignBody(Guid VolunteerId, bool Force = false, [StringLength(500)] string? Note = null);

/// <summary>Body of <c>POST /api/requests/{id}/followup</c>.</summary>
public sealed record FollowUpBody(bool Satisfied, [Range(1, 5)] int Rating, [StringLength(1000)] string? Note = null);

/// <summary>Body of <c>POST /api/requests/{id}/reoffer</c> and <c>/notes</c>.</summary>
public sealed record NoteBody([StringLength(1000)] string? Note = null);

/// <summary>The answer to an intake: the contract's short form.</summary>
public sealed record IntakeResponse(Guid Id, RequestStatus Status, Guid? StationId, int OfferedCount, DateTimeOffset CreatedAt);
