using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Outreach.Files;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;

namespace Outreach.Demo;

/// <summary>
/// A demo region: urban Puyang (濮阳), Henan, where the Zhongyuan Oilfield (中原油田) union is based —
/// its stations (驿站), 80 volunteers, 50 family service files and the demo logins.
/// </summary>
/// <remarks>
/// Pure and deterministic: no clock, no I/O, no shared state. Ids are name-based (a hash of a fixed name),
/// every random choice comes from a <see cref="Random"/> with a fixed seed, and positions are computed with
/// arithmetic only (no trigonometry), so every run on every machine yields the same region.
/// </remarks>
public static class DemoData
{
    /// <summary>The password of every demo login.</summary>
    public const string DemoPassword = "outreach-demo";

    /// <summary>The box every demo position lies in: urban Puyang, south-west corner.</summary>
    public static readonly GeoPoint SouthWest = new(35.74, 114.98);

    /// <summary>The box every demo position lies in: urban Puyang, north-east corner.</summary>
    public static readonly GeoPoint NorthEast = new(35.80, 115.10);

    /// <summary>How far from their station a volunteer lives, at most.</summary>
    public const double VolunteerSpreadM = 2_500;

    /// <summary>How far from a station a family lives, at most.</summary>
    public const double FamilySpreadM = 2_000;

    // Metres per degree at Puyang's latitude (35.77°N): fixed, so positions need no trigonometry.
    private const double MetresPerDegreeLat = 110_950;
    private const double MetresPerDegreeLon = 90_320;

    private const int VolunteerCount = 80;
    private const int FamilyCount = 50;
    private const int VolunteerSeed = 3_930_080;
    private const int FamilySeed = 3_930_050;

    // Volunteers and families draw from disjoint prefixes, so their numbers never collide.
    private static readonly string[] _volunteerPrefixes =
        ["130", "131", "132", "133", "135", "136", "137", "139", "150", "151", "152"];
    private static readonly string[] _familyPrefixes =
        ["138", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"];

    private static readonly HelpCategory[] _categories = Enum.GetValues<HelpCategory>();

    // Written before the public lists: static initialisers run in textual order.
    private static readonly Neighbourhood[] _neighbourhoods = CreateNeighbourhoods();

    /// <summary>The stations (驿站 and community service stations), each with its service circle and kits.</summary>
    public static IReadOnlyList<DemoStation> Stations { get; } = CreateStations();

    /// <summary>80 volunteers, each living within <see cref="VolunteerSpreadM"/> of their (nearest) station.</summary>
    public static IReadOnlyList<DemoVolunteer> Volunteers { get; } = CreateVolunteers(Stations);

    /// <summary>50 family service files; the first one is the family to use in a demo.</summary>
    public static IReadOnlyList<DemoFamily> Families { get; } = CreateFamilies(Stations);

    /// <summary>The demo logins; all use <see cref="DemoPassword"/>.</summary>
    public static DemoAccount[] Accounts { get; } = CreateAccounts(Volunteers);

    /// <summary>Whether a position lies inside the demo region's box.</summary>
    public static bool IsInRegion(GeoPoint point) =>
        point.Lat >= SouthWest.Lat && point.Lat <= NorthEast.Lat &&
        point.Lon >= SouthWest.Lon && point.Lon <= NorthEast.Lon;

    /// <summary>A stable id for a demo entity: a version-8 UUID from the SHA-256 of <c>outreach-demo/{name}</c>.</summary>
    internal static Guid NameGuid(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("outreach-demo/" + name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: custom, name-based
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }

    internal static IReadOnlyList<DemoStation> CreateStations() =>
        _neighbourhoods.Select(n => new DemoStation(NameGuid("station/" + n.Key), n.Station)).ToArray();

    internal static IReadOnlyList<DemoVolunteer> CreateVolunteers(IReadOnlyList<DemoStation> stations)
    {
        var random = new Random(VolunteerSeed);
        var names = new HashSet<string>();
        var phones = new HashSet<string>();

        // The first volunteer is the `volunteer` demo login: a first-aider living near the first family.
        var first = new DemoVolunteer(
            NameGuid("volunteer/1"),
            new VolunteerProfile(
                "陈晓东", "13903930001", [HelpCategory.FirstAid, HelpCategory.Escort, HelpCategory.Medicine],
                TravelMode.EBike, stations[0].Id, Capacity: 2),
            new GeoPoint(35.769420, 115.027310));
        names.Add(first.Profile.Name);
        phones.Add(first.Profile.Phone);

        var volunteers = new List<DemoVolunteer>(VolunteerCount) { first };
        for (var number = 2; number <= VolunteerCount; number++)
        {
            // Volunteers are spread round the stations in turn; each station's share cycles through
            // every category as the first skill, so each circle has every kind of helper.
            var index = number - 1;
            var origin = stations[index % stations.Count];
            var primary = _categories[index / stations.Count % _categories.Length];

            var woman = random.Next(2) == 0;
            var name = NewName(random, names, woman ? DemoVocabulary.WomenGivenNames : DemoVocabulary.MenGivenNames);
            var phone = NewMobile(random, _volunteerPrefixes, phones);
            var skills = NewSkills(random, primary);
            var mode = random.Next(100) switch
            {
                < 25 => TravelMode.Walk,
                < 45 => TravelMode.Bike,
                < 80 => TravelMode.EBike,
                _ => TravelMode.Car,
            };
            var capacity = random.Next(100) switch
            {
                < 40 => 1,
                < 85 => 2,
                _ => 3,
            };
            var home = Near(random, origin.Info.Position, VolunteerSpreadM);

            volunteers.Add(new DemoVolunteer(
                NameGuid("volunteer/" + number.ToString(CultureInfo.InvariantCulture)),
                new VolunteerProfile(name, phone, skills, mode, Nearest(stations, home).Id, capacity),
                home));
        }

        return volunteers;
    }

    internal static IReadOnlyList<DemoFamily> CreateFamilies(IReadOnlyList<DemoStation> stations)
    {
        var random = new Random(FamilySeed);
        var names = new HashSet<string>();
        var phones = new HashSet<string>();

        var first = CreateFirstFamily();
        foreach (var member in first.File.FamilyMembers)
        {
            names.Add(member.Name);
            if (member.Phone is not null)
                phones.Add(member.Phone);
        }
        names.Add(first.File.WorkerName);
        phones.Add(first.File.WorkerPhone!);

        var families = new List<DemoFamily>(FamilyCount) { first };
        for (var number = 2; number <= FamilyCount; number++)
        {
            var neighbourhood = _neighbourhoods[(number - 1) % _neighbourhoods.Length];
            families.Add(new DemoFamily(
                NameGuid("family/" + number.ToString(CultureInfo.InvariantCulture)),
                NewFile(random, neighbourhood, names, phones)));
        }

        return families;
    }

    private static DemoFamily CreateFirstFamily() => new(
        NameGuid("family/1"),
        new FamilyFileInput(
            "李志强",
            "13803930000",
            "中原油田 伊拉克哈法亚项目",
            [
                new FamilyMember("刘芳", "妻子", "13803930001", "在油田学校任教，白天不便接电话"),
                new FamilyMember("李浩然", "儿子", null, "孩子读初二，数学需要辅导"),
                new FamilyMember("李德明", "父亲", "13803930002", "高血压，需定期测量"),
                new FamilyMember("赵秀兰", "母亲", "13803930003", "腿脚不便，出门需要轮椅"),
            ],
            [
                new FamilyAddress("家", "华龙区 中原路 2号院 5号楼 2单元 301", new GeoPoint(35.767350, 115.025820)),
                new FamilyAddress("父母家", "华龙区 胜利路 油田三区 12号楼 1单元 102", new GeoPoint(35.763180, 115.041260)),
            ],
            "上门前请先给妻子打电话；老人家在一楼，可推轮椅出门"));

    private static FamilyFileInput NewFile(Random random, Neighbourhood home, HashSet<string> names, HashSet<string> phones)
    {
        var workerIsMan = random.Next(100) < 85;
        var workerSurname = Pick(random, DemoVocabulary.Surnames);
        var workerName = NewName(random, names, workerIsMan ? DemoVocabulary.MenGivenNames : DemoVocabulary.WomenGivenNames, workerSurname);
        var workerPhone = NewMobile(random, _familyPrefixes, phones);
        var posting = Pick(random, DemoVocabulary.Postings);

        var members = new List<FamilyMember>();

        string? spouseSurname = null;
        if (random.Next(100) < 88)
        {
            spouseSurname = Pick(random, DemoVocabulary.Surnames);
            members.Add(new FamilyMember(
                NewName(random, names, workerIsMan ? DemoVocabulary.WomenGivenNames : DemoVocabulary.MenGivenNames, spouseSurname),
                workerIsMan ? "妻子" : "丈夫",
                NewMobile(random, _familyPrefixes, phones),
                MaybePick(random, DemoVocabulary.SpouseNotes, 40)));
        }

        var childSurname = workerIsMan || spouseSurname is null ? workerSurname : spouseSurname;
        var children = random.Next(100) switch { < 30 => 0, < 80 => 1, _ => 2 };
        for (var i = 0; i < children; i++)
        {
            var boy = random.Next(2) == 0;
            members.Add(new FamilyMember(
                NewName(random, names, boy ? DemoVocabulary.BoyGivenNames : DemoVocabulary.GirlGivenNames, childSurname),
                boy ? "儿子" : "女儿",
                null,
                MaybePick(random, DemoVocabulary.ChildNotes, 75)));
        }

        // Elders: the worker's own parents, or the spouse's (岳父母 / 公婆).
        var spousesParents = spouseSurname is not null && random.Next(100) < 35;
        var elders = random.Next(100) switch { < 30 => 0, < 70 => 1, _ => 2 };
        if (spouseSurname is null)
            elders = Math.Max(elders, 1); // someone grown-up to call
        elders = Math.Min(elders, 4 - members.Count);
        var (fatherRelation, motherRelation, eldersLabel, fatherSurname) = spousesParents
            ? workerIsMan ? ("岳父", "岳母", "岳父母家", spouseSurname!) : ("公公", "婆婆", "公婆家", spouseSurname!)
            : ("父亲", "母亲", "父母家", workerSurname);
        var fatherFirst = random.Next(2) == 0;
        for (var i = 0; i < elders; i++)
        {
            var father = fatherFirst == (i == 0);
            members.Add(new FamilyMember(
                father
                    ? NewName(random, names, DemoVocabulary.OldMenGivenNames, fatherSurname)
                    : NewName(random, names, DemoVocabulary.OldWomenGivenNames),
                father ? fatherRelation : motherRelation,
                NewMobile(random, _familyPrefixes, phones),
                MaybePick(random, DemoVocabulary.ElderNotes, 75)));
        }

        var addresses = new List<FamilyAddress> { NewAddress(random, "家", home) };
        if (elders > 0 && members.Count > elders && random.Next(100) < 55)
            addresses.Add(NewAddress(random, eldersLabel, Pick(random, _neighbourhoods)));

        return new FamilyFileInput(
            workerName, workerPhone, posting, [.. members], [.. addresses],
            MaybePick(random, DemoVocabulary.FileNotes, 50));
    }

    private static FamilyAddress NewAddress(Random random, string label, Neighbourhood neighbourhood)
    {
        var street = Pick(random, neighbourhood.Streets);
        var building = random.Next(1, 25);
        var unit = random.Next(1, 5);
        var flat = (random.Next(1, 7) * 100) + random.Next(1, 3);
        var place = random.Next(2) == 0
            ? random.Next(1, 40).ToString(CultureInfo.InvariantCulture) + "号院"
            : Pick(random, DemoVocabulary.Compounds);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{neighbourhood.District} {street} {place} {building}号楼 {unit}单元 {flat}");
        return new FamilyAddress(label, text, Near(random, neighbourhood.Station.Position, FamilySpreadM));
    }

    private static HelpCategory[] NewSkills(Random random, HelpCategory primary)
    {
        var skills = new List<HelpCategory> { primary };
        var extra = random.Next(100) switch { < 35 => 0, < 80 => 1, _ => 2 };
        while (skills.Count < 1 + extra)
        {
            var skill = Pick(random, _categories);
            if (!skills.Contains(skill))
                skills.Add(skill);
        }

        return [.. skills];
    }

    private static DemoAccount[] CreateAccounts(IReadOnlyList<DemoVolunteer> volunteers) =>
    [
        new("operator", "王丽", [Roles.Operator], null),
        new("coordinator", "张建国", [Roles.Coordinator], null),
        new("volunteer", volunteers[0].Profile.Name, [Roles.Volunteer], volunteers[0].Id),
    ];

    private static string NewName(Random random, HashSet<string> taken, string[] givenNames, string? surname = null)
    {
        while (true)
        {
            var name = (surname ?? Pick(random, DemoVocabulary.Surnames)) + Pick(random, givenNames);
            if (taken.Add(name))
                return name;
        }
    }

    private static string NewMobile(Random random, string[] prefixes, HashSet<string> taken)
    {
        while (true)
        {
            var phone = Pick(random, prefixes) + random.Next(10_000_000, 100_000_000).ToString(CultureInfo.InvariantCulture);
            if (taken.Add(phone))
                return phone;
        }
    }

    /// <summary>A point uniformly inside the disc of <paramref name="radiusM"/> round <paramref name="centre"/>, within the region.</summary>
    private static GeoPoint Near(Random random, GeoPoint centre, double radiusM)
    {
        while (true)
        {
            var x = (random.NextDouble() * 2) - 1;
            var y = (random.NextDouble() * 2) - 1;
            if ((x * x) + (y * y) > 1)
                continue;
            var point = new GeoPoint(
                Math.Round(centre.Lat + (y * radiusM / MetresPerDegreeLat), 6),
                Math.Round(centre.Lon + (x * radiusM / MetresPerDegreeLon), 6));
            if (IsInRegion(point))
                return point;
        }
    }

    private static DemoStation Nearest(IReadOnlyList<DemoStation> stations, GeoPoint point) =>
        stations.MinBy(s =>
        {
            var north = (s.Info.Position.Lat - point.Lat) * MetresPerDegreeLat;
            var east = (s.Info.Position.Lon - point.Lon) * MetresPerDegreeLon;
            return (north * north) + (east * east);
        })!;

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string? MaybePick(Random random, string[] items, int percent) =>
        random.Next(100) < percent ? Pick(random, items) : null;

    private static Neighbourhood[] CreateNeighbourhoods() =>
    [
        new("huanglong", "华龙区", ["中原路", "大庆路", "任丘路", "京开大道"], new StationInfo(
            "中原油田职工健康驿站（华龙区）", "华龙区 中原路 277号 中原油田工会大楼一楼",
            new GeoPoint(35.770500, 115.030500), 2_000, "0393-4812345",
            [new("急救包", 6), new("血压计", 4), new("血糖仪", 2), new("轮椅", 3), new("自动体外除颤器（AED）", 1)])),
        new("base", "华龙区", ["大庆路", "长庆路", "中原路", "濮上路"], new StationInfo(
            "中原油田职工健康驿站（油田基地）", "华龙区 长庆路 186号 油田基地服务中心",
            new GeoPoint(35.773000, 115.014000), 1_800, "0393-4826110",
            [new("急救包", 5), new("血压计", 3), new("轮椅", 2), new("担架", 1)])),
        new("shengli", "华龙区", ["胜利路", "建设路", "人民路", "开州路"], new StationInfo(
            "胜利路社区服务站", "华龙区 胜利路 128号",
            new GeoPoint(35.761000, 115.046000), 1_500, "0393-4835120",
            [new("急救包", 3), new("血压计", 2), new("轮椅", 1)])),
        new("huanghe", "华龙区", ["黄河路", "大庆路", "京开大道", "文化路"], new StationInfo(
            "黄河路社区服务站", "华龙区 黄河路 56号",
            new GeoPoint(35.786500, 115.033000), 2_000, "0393-4841230",
            [new("急救包", 4), new("血压计", 2), new("血糖仪", 1), new("轮椅", 2)])),
        new("jingkai", "华龙区", ["京开大道", "任丘路", "黄河路", "振兴路"], new StationInfo(
            "京开大道职工之家服务站", "华龙区 京开大道 与 任丘路 交叉口 东北角",
            new GeoPoint(35.779000, 115.062000), 2_200, "0393-4857788",
            [new("急救包", 4), new("血压计", 3), new("轮椅", 2), new("氧气袋", 2)])),
        new("kaifaqu", "开发区", ["濮水路", "长庆路", "昆吾路", "江汉路"], new StationInfo(
            "开发区职工健康驿站", "开发区 濮水路 99号",
            new GeoPoint(35.752000, 115.002000), 2_500, "0393-4868120",
            [new("急救包", 4), new("血压计", 2), new("血糖仪", 1), new("轮椅", 1)])),
        new("pushang", "华龙区", ["绿城路", "胜利路", "开州路", "人民路"], new StationInfo(
            "濮上园社区服务站", "华龙区 绿城路 东段 18号",
            new GeoPoint(35.756000, 115.080000), 2_500, "0393-4873366",
            [new("急救包", 3), new("血压计", 2), new("轮椅", 1), new("担架", 1)])),
    ];

    /// <summary>A station and the streets round it, which families' addresses near it are written with.</summary>
    private sealed record Neighbourhood(string Key, string District, string[] Streets, StationInfo Station);
}
