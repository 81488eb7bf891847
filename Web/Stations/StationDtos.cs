using Microsoft.Extensions.Validation;
using System.ComponentModel.DataAnnotations;
using Outreach.Stations;
using Outreach.Web.Validation;

namespace Outreach.Web.Stations;

/// <summary>A kit line in the API.</summary>
[ValidatableType]
public sealed record KitDto([Required, StringLength(40)] string Name, [Range(0, 10_000)] int Quantity);

/// <summary>Body of <c>POST /api/stations</c> and <c>PUT /api/stations/{id}</c>.</summary>
public sealed record StationRequest(
    [Required, StringLength(80)] string Name,
    [Required, StringLength(200, MinimumLength = 2)] string Address,
    [Required] PositionDto Position,
    [Range(100.0, 20_000.0)] double CircleRadiusM = 2000,
    [PhoneNumber] string? Phone = null,
    [MaxLength(50)] KitDto[]? Kits = null)
{
    public StationInfo ToInfo() => new(Name.Trim(), Address.Trim(), Position.ToGeoPoint(), CircleRadiusM,
        string.IsNullOrWhiteSpace(Phone) ? null : Phone.Trim(), [.. (Kits ?? []).Select(k => new KitStock(k.Name.Trim(), k.Quantity))]);
}

/// <summary>A station as the API returns it.</summary>
public sealed record StationResponse(
    Guid Id, string Name, string Address, PositionDto Position, double CircleRadiusM, string? Phone,
    KitDto[] Kits, Guid[] Roster, DateTimeOffset UpdatedAt)
{
    public static StationResponse From(StationView view) => new(
        view.Id, view.Info.Name, view.Info.Address, PositionDto.From(view.Info.Position), view.Info.CircleRadiusM,
        view.Info.Phone, [.. view.Info.Kits.Select(k => new KitDto(k.Name, k.Quantity))], view.Roster, view.UpdatedAt);
}
