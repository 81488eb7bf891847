using System.Text.Json;
using Outreach.Model;
using Outreach.Demo;
using PhoneNumbers;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Demo;

/// <summary>The demo region is big enough, well-formed, inside Puyang and the same on every run.</summary>
[Category(TestCategory.Unit)]
public sealed class DemoDataTests
{
    // Urban Puyang, written out here rather than read from DemoData, so the check is independent.
    private const double MinLat = 35.74, MaxLat = 35.80, MinLon = 114.98, MaxLon = 115.10;

    private static readonly PhoneNumberUtil _phones = PhoneNumberUtil.GetInstance();

    [Fact]
    public void Counts_AreLargeEnoughForADemo()
    {
        Assert.True(DemoData.Stations.Count >= 4, $"only {DemoData.Stations.Count} stations");
        Assert.True(DemoData.Volunteers.Count >= 60, $"only {DemoData.Volunteers.Count} volunteers");
        Assert.True(DemoData.Families.Count >= 40, $"only {DemoData.Families.Count} families");
    }

    [Fact]
    public void Ids_AreUniqueAcrossEveryKind()
    {
        var ids = DemoData.Stations.Select(s => s.Id)
            .Concat(DemoData.Volunteers.Select(v => v.Id))
            .Concat(DemoData.Families.Select(f => f.Id))
            .ToList();

        Assert.DoesNotContain(Guid.Empty, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Generation_IsDeterministic_TwoReadsAndAFreshRunAreEqual()
    {
        var stations = DemoData.CreateStations();

        Assert.Equal(Json(DemoData.Stations), Json(DemoData.Stations));
        Assert.Equal(Json(DemoData.Stations), Json(stations));
        Assert.Equal(Json(DemoData.Volunteers), Json(DemoData.CreateVolunteers(stations)));
        Assert.Equal(Json(DemoData.Families), Json(DemoData.CreateFamilies(stations)));
        Assert.Equal(Json(DemoData.Accounts), Json(DemoData.Accounts));
    }

    [Fact]
    public void Ids_AndRandomChoices_AreStableAcrossRunsAndMachines()
    {
        // Pinned from one run: a change here means every stored demo key or seeded row would move.
        Assert.Equal(Guid.Parse("f45a1c64-b5dc-82d2-a644-127a26a91d0f"), DemoData.Stations[0].Id);
        Assert.Equal(Guid.Parse("f44f495e-7324-8164-b114-d045b20950f0"), DemoData.Volunteers[0].Id);
        Assert.Equal(Guid.Parse("e411fa2a-43c2-8905-b61c-12e4f3db7f34"), DemoData.Families[0].Id);

        var seventeenth = DemoData.Volunteers[16];
        Assert.Equal("邓霞", seventeenth.Profile.Name);
        Assert.Equal("15099365456", seventeenth.Profile.Phone);
        Assert.Equal(new GeoPoint(35.75231, 115.023866), seventeenth.HomePosition);
        Assert.Equal("华龙区 开州路 石化小区 15号楼 1单元 402", DemoData.Families[16].File.Addresses[0].Text);
    }

    [Fact]
    public void EveryCategory_IsCoveredByAtLeastFiveVolunteers()
    {
        foreach (var category in Enum.GetValues<HelpCategory>())
        {
            var count = DemoData.Volunteers.Count(v => v.Profile.Skills.Contains(category));
            Assert.True(count >= 5, $"{category} has only {count} volunteers");
        }
    }

    [Fact]
    public void Volunteers_HaveOneToThreeDistinctSkills_CapacityOneToThree_AndEveryTravelModeIsUsed()
    {
        Assert.All(DemoData.Volunteers, v =>
        {
            Assert.InRange(v.Profile.Skills.Length, 1, 3);
            Assert.Equal(v.Profile.Skills.Length, v.Profile.Skills.Distinct().Count());
            Assert.InRange(v.Profile.Capacity, 1, 3);
            Assert.True(v.Profile.Active);
        });
        Assert.Equal(
            Enum.GetValues<TravelMode>().Order(),
            DemoData.Volunteers.Select(v => v.Profile.TravelMode).Distinct().Order());
    }

    [Fact]
    public void EveryPosition_LiesInsideUrbanPuyang()
    {
        IEnumerable<(string Where, GeoPoint Position)> positions = DemoData.Stations.Select(s => ("station " + s.Info.Name, s.Info.Position))
            .Concat(DemoData.Volunteers.Select(v => ("volunteer " + v.Profile.Name, v.HomePosition)))
            .Concat(DemoData.Families.SelectMany(f => f.File.Addresses.Select(a => ($"{f.File.WorkerName} {a.Label}", a.Position))));

        Assert.All(positions, p => Assert.True(
            p.Position.Lat is >= MinLat and <= MaxLat && p.Position.Lon is >= MinLon and <= MaxLon,
            $"{p.Where} at {p.Position} is outside Puyang"));
    }

    [Fact]
    public void EveryVolunteer_BelongsToTheNearestExistingStation_WithinTwoAndAHalfKilometres()
    {
        var stations = DemoData.Stations.ToDictionary(s => s.Id);

        Assert.All(DemoData.Volunteers, v =>
        {
            Assert.NotNull(v.Profile.HomeStationId);
            Assert.True(stations.TryGetValue(v.Profile.HomeStationId.Value, out var home), $"{v.Profile.Name}'s station does not exist");
            var distance = DistanceM(v.HomePosition, home.Info.Position);
            var nearest = DemoData.Stations.Min(s => DistanceM(v.HomePosition, s.Info.Position));
            Assert.True(distance <= 2_550, $"{v.Profile.Name} lives {distance:F0} m from {home.Info.Name}");
            Assert.True(distance <= nearest + 5, $"{v.Profile.Name} lives {distance:F0} m from {home.Info.Name}, but {nearest:F0} m from another");
        });
    }

    [Fact]
    public void EveryStation_HasAnAddressACircleAPhoneAndKits()
    {
        Assert.All(DemoData.Stations, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Info.Name));
            Assert.False(string.IsNullOrWhiteSpace(s.Info.Address));
            Assert.InRange(s.Info.CircleRadiusM, 1_000, 3_000);
            Assert.NotNull(s.Info.Phone);
            Assert.NotEmpty(s.Info.Kits);
            Assert.All(s.Info.Kits, k => Assert.True(k.Quantity > 0, $"{s.Info.Name} keeps no {k.Name}"));
        });
        Assert.Equal(DemoData.Stations.Count, DemoData.Stations.Select(s => s.Info.Name).Distinct().Count());
    }

    [Fact]
    public void EveryPhoneNumber_IsValidForChina_AndPersonalOnesAreMobiles()
    {
        foreach (var station in DemoData.Stations)
            Assert.True(IsValidCn(station.Info.Phone!), $"station {station.Info.Name}: {station.Info.Phone} is not a valid CN number");

        Assert.All(PersonalPhones(), p =>
        {
            Assert.Matches("^1[358][0-9]{9}$", p.Phone);
            Assert.True(IsValidCn(p.Phone), $"{p.Who}: {p.Phone} is not a valid CN number");
            Assert.Equal(PhoneNumberType.MOBILE, _phones.GetNumberType(_phones.Parse(p.Phone, "CN")));
        });
    }

    [Fact]
    public void PersonalPhoneNumbers_AreUnique_SoALookupFindsOnePerson()
    {
        var duplicates = PersonalPhones().GroupBy(p => p.Phone).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Families_HaveAWorkerAPostingOneToFourMembersAndOneToTwoLabelledAddresses()
    {
        Assert.All(DemoData.Families, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.File.WorkerName));
            Assert.False(string.IsNullOrWhiteSpace(f.File.Posting));
            Assert.InRange(f.File.FamilyMembers.Length, 1, 4);
            Assert.InRange(f.File.Addresses.Length, 1, 2);
            Assert.Equal("家", f.File.Addresses[0].Label);
            Assert.All(f.File.Addresses, a => Assert.False(string.IsNullOrWhiteSpace(a.Text)));
            Assert.Contains(f.File.FamilyMembers, m => m.Phone is not null);
            Assert.All(
                f.File.FamilyMembers.Where(m => m.Relation is "儿子" or "女儿"),
                child => Assert.Null(child.Phone));
        });
    }

    [Fact]
    public void FirstFamily_IsTheMemorableOne()
    {
        var first = DemoData.Families[0].File;

        Assert.Contains(first.FamilyMembers, m => m is { Relation: "妻子", Phone: "13803930001" });
    }

    [Fact]
    public void Accounts_CoverTheDemoRoles_AndTheVolunteerLoginIsTheFirstVolunteer()
    {
        var accounts = DemoData.Accounts.ToDictionary(a => a.Login);

        Assert.Equal([Roles.Operator], accounts["operator"].Roles);
        Assert.Equal("王丽", accounts["operator"].Name);
        Assert.Equal([Roles.Coordinator], accounts["coordinator"].Roles);
        Assert.Equal("张建国", accounts["coordinator"].Name);
        Assert.Equal([Roles.Volunteer], accounts["volunteer"].Roles);
        Assert.Equal(DemoData.Volunteers[0].Id, accounts["volunteer"].VolunteerId);
        Assert.Equal(DemoData.Volunteers[0].Profile.Name, accounts["volunteer"].Name);
        Assert.Equal("outreach-demo", DemoData.DemoPassword);
    }

    private static IEnumerable<(string Who, string Phone)> PersonalPhones() =>
        DemoData.Volunteers.Select(v => ("volunteer " + v.Profile.Name, v.Profile.Phone))
            .Concat(DemoData.Families.Where(f => f.File.WorkerPhone is not null).Select(f => ("worker " + f.File.WorkerName, f.File.WorkerPhone!)))
            .Concat(DemoData.Families.SelectMany(f => f.File.FamilyMembers)
                .Where(m => m.Phone is not null)
                .Select(m => ($"{m.Relation} {m.Name}", m.Phone!)));

    private static bool IsValidCn(string phone) => _phones.IsValidNumberForRegion(_phones.Parse(phone, "CN"), "CN");

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static double DistanceM(GeoPoint a, GeoPoint b)
    {
        const double EarthRadiusM = 6_371_000;
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Lat - a.Lat);
        var dLon = Radians(b.Lon - a.Lon);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2))
            + (Math.Cos(Radians(a.Lat)) * Math.Cos(Radians(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusM * Math.Asin(Math.Sqrt(h));
    }
}
