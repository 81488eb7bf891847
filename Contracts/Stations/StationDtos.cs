using System.ComponentModel.DataAnnotations;
using Outreach.Stations;

namespace Outreach.Contracts;

/// <summary>A kit line in the API.</summary>
public sealed record KitDto([Required, StringLength(40)] string Name, [Range(0, 10_000)] int Quantity);

/// <summary>
/// A station group's robot in a body: <c>kind</c> <c>wecom</c> or <c>dingtalk</c>, the webhook <c>url</c>, and the
/// DingTalk signing <c>secret</c> (write-only: omitted or null keeps the stored one for the same kind and url,
/// <c>""</c> removes it). All optional here, so that a missing one is a 400 naming it (<see cref="StationRequest.ToRobots"/>).
/// </summary>
public sealed record RobotDto(string? Kind = null, string? Url = null, string? Secret = null);

/// <summary>Body of <c>POST /api/stations</c> and <c>PUT /api/stations/{id}</c>.</summary>
public sealed record StationRequest(
    [Required, StringLength(80)] string Name,
    [Required, StringLength(200, MinimumLength = 2)] string Address,
    [Required] PositionDto Position,
    [Range(100.0, 20_000.0)] double CircleRadiusM = 2000,
    [PhoneNumber] string? Phone = null,
    [MaxLength(50)] KitDto[]? Kits = null,
    RobotDto[]? Robots = null)
{
    public StationInfo ToInfo() => new(Name.Trim(), Address.Trim(), Position.ToGeoPoint(), CircleRadiusM,
        string.IsNullOrWhiteSpace(Phone) ? null : Phone.Trim(), [.. (Kits ?? []).Select(k => new KitStock(k.Name.Trim(), k.Quantity))]);

    /// <summary>
    /// The robots as the station will take them (null when the body has none: an update keeps the stored ones), or
    /// the first field at fault (<c>robots[1].url</c>) and why, for a 400 naming it.
    /// </summary>
    public (RobotSetting[]? Robots, string? Field, string? Message) ToRobots(RobotOptions options)
    {
        if (Robots is null)
            return (null, null, null);
        if (Robots.Length > RobotRules.MaxRobots)
            return (null, "robots", $"At most {RobotRules.MaxRobots} robots.");
        var robots = new RobotSetting[Robots.Length];
        for (var i = 0; i < Robots.Length; i++)
        {
            var robot = Robots[i];
            if (RobotKinds.Parse(robot.Kind) is not { } kind)
                return (null, $"robots[{i}].kind", $"Must be one of: {RobotKinds.WeCom}, {RobotKinds.DingTalk}.");
            var url = robot.Url?.Trim();
            if (RobotRules.UrlProblem(kind, url, options) is { } badUrl)
                return (null, $"robots[{i}].url", badUrl);
            if (RobotRules.SecretProblem(kind, robot.Secret) is { } badSecret)
                return (null, $"robots[{i}].secret", badSecret);
            // The same webhook twice (however its host is spelled) would post every notice to the group twice.
            var address = new Uri(url!).AbsoluteUri;
            if (robots.Take(i).Any(r => r.Kind == kind && new Uri(r.Url).AbsoluteUri == address))
                return (null, $"robots[{i}].url", "This robot is listed already.");
            robots[i] = new RobotSetting(kind, url!, robot.Secret);
        }
        return (robots, null, null);
    }
}

/// <summary>A station group's robot as the API returns it: never its secret, only whether one is stored.</summary>
public sealed record RobotResponse(string Kind, string Url, bool HasSecret);

/// <summary>
/// A station as the API returns it. <c>robots</c> is given to coordinators and administrators only (a webhook's
/// address is itself the key to post to the group); to anyone else it is empty.
/// </summary>
public sealed record StationResponse(
    Guid Id, string Name, string Address, PositionDto Position, double CircleRadiusM, string? Phone,
    KitDto[] Kits, Guid[] Roster, DateTimeOffset UpdatedAt, RobotResponse[] Robots)
{
    public static StationResponse From(StationView view, bool withRobots) => new(
        view.Id, view.Info.Name, view.Info.Address, PositionDto.From(view.Info.Position), view.Info.CircleRadiusM,
        view.Info.Phone, [.. view.Info.Kits.Select(k => new KitDto(k.Name, k.Quantity))], view.Roster, view.UpdatedAt,
        withRobots ? [.. (view.Robots ?? []).Select(r => new RobotResponse(RobotKinds.Word(r.Kind), r.Url, r.HasSecret))] : []);
}
