using Outreach.Dispatch;
using Outreach.Model;

namespace Outreach.Bench.Search;

/// <summary>One volunteer of the search scenario's city, as every searched system holds them.</summary>
public sealed record SearchVolunteer(
    Guid Id, GeoPoint Position, HelpCategory[] Skills, TravelMode Mode, int Capacity, bool OnDuty, DateTimeOffset ReportedAt)
{
    /// <summary>The skills as bits (1 &lt;&lt; category), for the SQL tables.</summary>
    public int SkillMask => Skills.Aggregate(0, (mask, s) => mask | 1 << (int)s);

    /// <summary>The entry a dispatch cell holds for this volunteer (only while on duty).</summary>
    public CellEntry ToCellEntry() => new(Id, "v" + Id.ToString("N")[..8], Position, ReportedAt, Skills, Mode, Capacity, 0);
}

/// <summary>
/// The generated city of the search scenario: places, skills and travel modes from <see cref="City"/>; a share on
/// duty (as in a city day: 20,000 of 100,000), and of those some whose last report is stale (they stopped reporting).
/// </summary>
public sealed class SearchPopulation(City city, CircleRule rule)
{
    /// <summary>The share of the registered volunteers who are on duty.</summary>
    public const double OnDutyShare = 0.2;

    /// <summary>The share of the on-duty volunteers whose last report is too old to offer on.</summary>
    public const double StaleShare = 0.1;

    /// <summary>Makes <paramref name="count"/> more volunteers, fresh ones reported within the last 10 minutes before <paramref name="now"/>.</summary>
    public List<SearchVolunteer> Make(int count, DateTimeOffset now)
    {
        var made = new List<SearchVolunteer>(count);
        for (var i = 0; i < count; i++)
        {
            var onDuty = city.NextDouble() < OnDutyShare;
            // Stale: older than the rule's maximum age by an hour or more, so it stays stale for the whole run
            // (the bench's silo keeps positions 12 h; fresh ones stay fresh as long).
            var age = city.NextDouble() < StaleShare
                ? rule.PositionMaxAge + TimeSpan.FromHours(1 + city.NextDouble() * 35)
                : TimeSpan.FromMinutes(city.NextDouble() * 10);
            made.Add(new SearchVolunteer(Guid.NewGuid(), city.AnyPlace(), city.SomeSkills(), city.AnyTravelMode(), city.Next(1, 4),
                onDuty, now - age));
        }
        return made;
    }

    /// <summary><paramref name="count"/> searches: a uniformly random place in the city and a random skill.</summary>
    public SearchQuery[] Queries(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new SearchQuery(city.AnyPlace(), city.AnyLoadCategory()))];
}

/// <summary>One candidate search: who with this skill, on duty and fresh, reaches this place within the circle (the 50 best by ETA).</summary>
public sealed record SearchQuery(GeoPoint Position, HelpCategory Skill);
