using System.ComponentModel.DataAnnotations;
using Outreach.Model;
using Outreach.Volunteers;

namespace Outreach.Contracts;

/// <summary>Body of <c>POST /api/volunteers</c> and <c>PUT /api/volunteers/{id}</c>.</summary>
public sealed record VolunteerRequest(
    [Required, StringLength(64)] string Name,
    [Required, PhoneNumber] string Phone,
    [Required, MinLength(1), MaxLength(8)] HelpCategory[] Skills,
    TravelMode TravelMode,
    Guid? HomeStationId = null,
    [Range(1, 10)] int Capacity = 1,
    bool Active = true,
    bool SmsOffers = false)
{
    public VolunteerProfile ToProfile() => new(
        Name.Trim(), Phones.Normalize(Phone) ?? Phone.Trim(), [.. Skills.Distinct()], TravelMode, HomeStationId, Capacity, Active, SmsOffers);
}

/// <summary>Body of <c>PUT /api/volunteers/me/sms-offers</c>: Emergency offers by SMS when no device showed them in time.</summary>
public sealed record SmsOffersRequest(bool Enabled);

/// <summary>Body of <c>POST /api/volunteers/me/duty</c>.</summary>
public sealed record DutyRequest(bool OnDuty);

/// <summary>Body of <c>POST /api/volunteers/me/position</c>.</summary>
public sealed record PositionReport(
    [Range(-90.0, 90.0)] double Lat,
    [Range(-180.0, 180.0)] double Lon,
    [Range(0.0, 100_000.0)] double AccuracyM = 0);

/// <summary>A volunteer's last known position.</summary>
public sealed record PositionFix(PositionDto Position, double AccuracyM, DateTimeOffset At);

/// <summary>A volunteer as the API returns it.</summary>
public sealed record VolunteerResponse(
    Guid Id, string Name, string Phone, HelpCategory[] Skills, TravelMode TravelMode, Guid? HomeStationId,
    int Capacity, bool Active, bool OnDuty, PositionFix? LastPosition, DateTimeOffset UpdatedAt, Guid[] ActiveRequests, bool SmsOffers)
{
    public static VolunteerResponse From(VolunteerView view) => new(
        view.Id, view.Profile.Name, view.Profile.Phone, view.Profile.Skills, view.Profile.TravelMode,
        view.Profile.HomeStationId, view.Profile.Capacity, view.Profile.Active, view.OnDuty,
        view.LastPosition is { } p ? new PositionFix(PositionDto.From(p.Position), p.AccuracyM, p.At) : null,
        view.UpdatedAt, view.ActiveRequests ?? [], view.Profile.SmsOffers);
}

/// <summary>
/// What a volunteer's page reloads after every (re)connect, in one answer of the live hub's <c>Resync</c>: their record,
/// the offers open to them (as <c>GET /api/volunteers/me/offers</c>) and their current jobs, whole (as
/// <c>GET /api/volunteers/me/assignments</c>).
/// </summary>
public sealed record VolunteerResync(VolunteerResponse Volunteer, OfferDto[] Offers, RequestDto[] Assignments);
