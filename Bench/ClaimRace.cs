using System.Diagnostics;
using System.Net;
using Outreach.Model;

namespace Outreach.Bench;

/// <summary>What the claim races measured.</summary>
public sealed record RaceResult(int Races, int NotPosted, int ExactlyOneWinner, int FullyOffered, int Ok, int Conflict, int Other, Percentiles Claim, Percentiles Winner);

/// <summary>
/// Claim races: a request of category Other at the racers' spot is offered to exactly the racers (nobody else
/// has that skill); once every racer has the offer, all of them claim at once.
/// </summary>
public sealed class ClaimRace(Hotline hotline, OfferLog offers, IReadOnlyList<LiveVolunteer> racers)
{
    /// <summary>Races run before the measured ones, not counted.</summary>
    public const int WarmupRaces = 5;

    public async Task<RaceResult> RunAsync(int races)
    {
        int notPosted = 0, exactlyOne = 0, fullyOffered = 0, ok = 0, conflict = 0, other = 0;
        var claims = new List<double>();
        var winners = new List<double>();
        for (var race = 0; race < races; race++)
        {
            var intake = await hotline.PostAsync($"race-{Guid.NewGuid():N}", City.RaceSpot, HelpCategory.Other);
            if (intake.RequestId is not { } id)
            {
                Console.WriteLine($"    race {race}: posting the request failed: {intake.Error}");
                notPosted++;
                continue;
            }
            if (await offers.WaitForAsync(id, racers.Count, TimeSpan.FromSeconds(10)) >= racers.Count)
                fullyOffered++;

            var answers = await Task.WhenAll(racers.Select(r => ClaimAsync(r, id)));
            var wins = answers.Count(a => a.Status == HttpStatusCode.OK);
            exactlyOne += wins == 1 ? 1 : 0;
            ok += wins;
            conflict += answers.Count(a => a.Status == HttpStatusCode.Conflict);
            other += answers.Count(a => a.Status is not (HttpStatusCode.OK or HttpStatusCode.Conflict));
            claims.AddRange(answers.Select(a => a.Ms));
            winners.AddRange(answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Ms));
        }
        return new RaceResult(races, notPosted, exactlyOne, fullyOffered, ok, conflict, other, new Percentiles(claims), new Percentiles(winners));
    }

    private static async Task<(HttpStatusCode Status, double Ms)> ClaimAsync(LiveVolunteer racer, Guid requestId)
    {
        await Task.Yield(); // start every claim before any of them is sent
        var start = Stopwatch.GetTimestamp();
        var status = await racer.ClaimAsync(requestId);
        return (status, Percentiles.Ms(start, Stopwatch.GetTimestamp()));
    }
}
