using System.Buffers.Binary;
using Outreach.Dispatch;
using Outreach.Model;
using StackExchange.Redis;

namespace Outreach.Bench.Search;

/// <summary>
/// The candidate search in Redis, the way a user would lay it out: one geo set per skill and travel mode holding the
/// on-duty volunteers (GEOADD), and one hash of each volunteer's last report (time, exact position, capacity, load).
/// A search asks the skill's four mode sets at once (GEOSEARCH FROMLONLAT BYRADIUS the mode's reach ASC COUNT 100),
/// reads the hits' reports (HMGET), keeps the fresh ones within the circle and ranks them by ETA from the exact
/// position (the geo set keeps positions to about half a metre). A mode whose full page leaves fewer than 50 fresh
/// candidates is asked again with a larger COUNT, so the answer is the same 50 the rule gives.
/// </summary>
public sealed class RedisSearch(ConnectionMultiplexer redis, CircleRule rule) : ICandidateSearch
{
    private const string Reports = "bench:reports";
    private const int ReportBytes = 32;

    /// <summary>Redis measures on a sphere of this radius (geohelper.c); ours is GeoMath's.</summary>
    private const double RedisEarthRadiusM = 6_372_797.560856;

    /// <summary>Metres of slack around a geohash position (52-bit cells are under 0.6 m across here).</summary>
    private const double SlackM = 2;

    private readonly IDatabase _db = redis.GetDatabase();

    public string Name => "Redis GEOSEARCH";

    public static async Task<RedisSearch> ConnectAsync(string endpoint, CircleRule rule)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint},allowAdmin=true,syncTimeout=30000,asyncTimeout=30000");
        await redis.GetServer(endpoint).FlushDatabaseAsync();
        return new RedisSearch(redis, rule);
    }

    private static RedisKey SetOf(HelpCategory skill, TravelMode mode) => $"bench:geo:{skill}:{mode}";

    public async Task AddAsync(IReadOnlyList<SearchVolunteer> volunteers)
    {
        // Pipelined: a batch's commands are all sent before any answer is awaited.
        foreach (var batch in volunteers.Where(v => v.OnDuty).Chunk(10_000))
        {
            var sent = new List<Task>();
            foreach (var set in batch.SelectMany(v => v.Skills.Select(s => (Key: SetOf(s, v.Mode), v))).GroupBy(x => x.Key))
                sent.Add(_db.GeoAddAsync(set.Key, [.. set.Select(x => new GeoEntry(x.v.Position.Lon, x.v.Position.Lat, x.v.Id.ToByteArray()))]));
            sent.Add(_db.HashSetAsync(Reports, [.. batch.Select(v => new HashEntry(v.Id.ToByteArray(), Report(v)))]));
            await Task.WhenAll(sent);
        }
    }

    private static byte[] Report(SearchVolunteer v)
    {
        var bytes = new byte[ReportBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, v.ReportedAt.UtcTicks);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8), v.Position.Lat);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(16), v.Position.Lon);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), v.Capacity);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(28), 0);
        return bytes;
    }

    /// <summary>StackExchange.Redis multiplexes one connection: every worker shares it.</summary>
    public Task<ISearcher> OpenAsync() => Task.FromResult<ISearcher>(new Searcher(this));

    private sealed class Searcher(RedisSearch search) : ISearcher
    {
        public Task<Guid[]> FindAsync(SearchQuery query) => search.FindAsync(query);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private async Task<Guid[]> FindAsync(SearchQuery query)
    {
        var modes = Enum.GetValues<TravelMode>();
        var count = new int[modes.Length];
        var done = new bool[modes.Length];
        var kept = new List<(double Eta, Guid Id)>[modes.Length];
        Array.Fill(count, 2 * rule.MaxOffers);
        var freshSince = (DateTimeOffset.UtcNow - rule.PositionMaxAge).UtcTicks;
        while (done.Contains(false))
        {
            var pending = modes.Where(m => !done[(int)m]).ToArray();
            var pages = await Task.WhenAll(pending.Select(m => _db.GeoSearchAsync(SetOf(query.Skill, m), query.Position.Lon, query.Position.Lat,
                new GeoSearchCircle(rule.ReachM(m) * RedisEarthRadiusM / GeoMath.EarthRadiusM + SlackM, GeoUnit.Meters),
                count[(int)m], demandClosest: true, Order.Ascending, GeoRadiusOptions.WithDistance)));
            var members = pages.SelectMany(p => p.Select(r => r.Member)).ToArray();
            var reports = members.Length == 0 ? [] : await _db.HashGetAsync(Reports, members);
            var at = 0;
            for (var i = 0; i < pending.Length; i++)
            {
                var mode = pending[i];
                var page = pages[i];
                var list = kept[(int)mode] = [];
                // Hits nearer than the page's last by more than the slack are certainly among the mode's nearest.
                var full = page.Length == count[(int)mode];
                var certainWithin = full ? page[^1].Distance!.Value - SlackM : double.MaxValue;
                var certain = 0;
                foreach (var hit in page)
                {
                    var report = (byte[])reports[at++]!;
                    if (BinaryPrimitives.ReadInt64LittleEndian(report) < freshSince
                        || BinaryPrimitives.ReadInt32LittleEndian(report.AsSpan(28)) >= BinaryPrimitives.ReadInt32LittleEndian(report.AsSpan(24)))
                    {
                        continue;
                    }
                    var position = new GeoPoint(BinaryPrimitives.ReadDoubleLittleEndian(report.AsSpan(8)), BinaryPrimitives.ReadDoubleLittleEndian(report.AsSpan(16)));
                    var eta = GeoMath.DistanceM(position, query.Position) * rule.DetourFactor / rule.MetresPerSecond(mode) / 60;
                    if (eta > rule.CircleMinutes)
                        continue;
                    list.Add((Math.Round(eta, 2), new Guid((byte[])hit.Member!)));
                    if (hit.Distance!.Value <= certainWithin)
                        certain++;
                }
                if (!full || certain >= rule.MaxOffers)
                    done[(int)mode] = true;
                else
                    count[(int)mode] *= 4;
            }
        }
        return [.. kept.SelectMany(k => k).OrderBy(c => c.Eta).ThenBy(c => c.Id).Take(rule.MaxOffers).Select(c => c.Id)];
    }

    public async ValueTask DisposeAsync() => await redis.DisposeAsync();
}
