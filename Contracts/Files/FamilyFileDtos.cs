using System.ComponentModel.DataAnnotations;
using Outreach.Files;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>A family member in the API.</summary>
public sealed record FamilyMemberDto(
    [Required, StringLength(64)] string Name,
    [Required, StringLength(32)] string Relation,
    [PhoneNumber] string? Phone = null,
    [StringLength(500)] string? Notes = null);

/// <summary>A family address in the API.</summary>
public sealed record FamilyAddressDto(
    [Required, StringLength(32)] string Label,
    [Required, StringLength(200, MinimumLength = 2)] string Text,
    [Required] PositionDto Position);

/// <summary>
/// Body of <c>POST /api/workers</c> and <c>PUT /api/workers/{id}</c>; <see cref="PairedVolunteerIds"/>: the volunteers paired
/// with the family (each must be a volunteer; the web checks); left out of an update, the pairing stays.
/// </summary>
public sealed record FamilyFileRequest(
    [Required, StringLength(64)] string WorkerName,
    [PhoneNumber] string? WorkerPhone = null,
    [StringLength(100)] string? Posting = null,
    [MaxLength(20)] FamilyMemberDto[]? FamilyMembers = null,
    [MaxLength(10)] FamilyAddressDto[]? Addresses = null,
    [StringLength(2000)] string? Notes = null,
    [MaxLength(FamilyFileRequest.MaxPaired)] Guid[]? PairedVolunteerIds = null)
{
    /// <summary>The most volunteers one family can be paired with.</summary>
    public const int MaxPaired = 5;

    public FamilyFileInput ToInput() => new(
        WorkerName.Trim(), Clean(WorkerPhone), Clean(Posting),
        [.. (FamilyMembers ?? []).Select(m => new FamilyMember(m.Name.Trim(), m.Relation.Trim(), Clean(m.Phone), Clean(m.Notes)))],
        [.. (Addresses ?? []).Select(a => new FamilyAddress(a.Label.Trim(), a.Text.Trim(), a.Position.ToGeoPoint()))],
        Clean(Notes),
        PairedVolunteerIds is null ? null : [.. PairedVolunteerIds.Distinct()]);

    /// <summary>Every phone number of the file in E.164 form (the attributes have already checked each one).</summary>
    public string[] NormalizedPhones() =>
        [.. new[] { WorkerPhone }.Concat((FamilyMembers ?? []).Select(m => m.Phone))
            .Select(Phones.Normalize).OfType<string>().Distinct()];

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>Body of <c>POST /api/workers/lookup</c>: the number as the caller said it.</summary>
public sealed record PhoneLookupRequest([Required] string Phone);

/// <summary>
/// Body of <c>POST /api/workers/search</c>: the text typed (a name, a posting, part of the first address, or a whole
/// number) and the page. In the body, never the URL: access logs and traces keep URLs.
/// </summary>
public sealed record FamilyFileSearchRequest([Required, StringLength(100)] string Q, int? Page = null, int? PageSize = null);

/// <summary>One line of the list of files: no address, numbers masked (<c>138****0001</c>).</summary>
public sealed record FamilyFileListItem(Guid Id, string WorkerName, string? Posting, string[] Phones)
{
    public static FamilyFileListItem From(FamilyFileSummary summary) => new(
        summary.Id, summary.WorkerName, summary.Posting, [.. summary.Phones.Select(PhoneMask.Mask)]);
}

/// <summary>One page of the list of files; <see cref="Total"/> files match in all.</summary>
public sealed record FamilyFilePage(FamilyFileListItem[] Items, int Page, int PageSize, int Total);

/// <summary>One entry of a file's change trail (from the audit): who (<c>name (login)</c>), when, and what.</summary>
public sealed record ChangeDto(DateTimeOffset At, string Actor, string What);

/// <summary>A family service file as the API returns it.</summary>
public sealed record FamilyFileResponse(
    Guid Id,
    string WorkerName,
    string? WorkerPhone,
    string? Posting,
    FamilyMemberDto[] FamilyMembers,
    FamilyAddressDto[] Addresses,
    string? Notes,
    string[] Phones,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ChangeDto[] Changes,
    Guid[] PairedVolunteerIds)
{
    /// <summary>The file with its whole trail of changes as the audit holds it.</summary>
    public static FamilyFileResponse From(FamilyFile file, IEnumerable<AuditRecord> changes) => new(
        file.Id, file.Data.WorkerName, file.Data.WorkerPhone, file.Data.Posting,
        [.. file.Data.FamilyMembers.Select(m => new FamilyMemberDto(m.Name, m.Relation, m.Phone, m.Notes))],
        [.. file.Data.Addresses.Select(a => new FamilyAddressDto(a.Label, a.Text, PositionDto.From(a.Position)))],
        file.Data.Notes, file.Phones, file.CreatedAt, file.UpdatedAt,
        [.. changes.Select(c => new ChangeDto(c.At, ActorText(c), c.Detail ?? ""))],
        file.Data.PairedVolunteerIds ?? []);

    private static string ActorText(AuditRecord change) =>
        change.ActorLogin is null ? change.ActorName ?? "" : $"{change.ActorName} ({change.ActorLogin})";
}

/// <summary>
/// A family as the volunteer paired with it sees it before any request (<c>GET /api/volunteers/me/paired-families</c>):
/// who they are, never a phone number or an address (those come with a request the volunteer carries).
/// </summary>
public sealed record PairedFamilyDto(Guid Id, string WorkerName, string? Posting);
