using System.Net;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class FamilyFileTests(SystemFixture fixture)
{
    /// <summary>A mobile number no other test uses (valid for CN: 139 + 8 digits).</summary>
    private static string FreshMobile() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object NewFile(string wifePhone, string name = "李强") => new
    {
        workerName = name,
        workerPhone = "+86 " + FreshMobile(),
        posting = "中原油田 伊拉克哈法亚项目",
        familyMembers = new object[]
        {
            new { name = "王芳", relation = "妻子", phone = wifePhone, notes = "高血压" },
            new { name = "李明", relation = "儿子", notes = "初二" },
        },
        addresses = new object[]
        {
            new { label = "家", text = "华龙区 中原路 2号院 5号楼 301", position = new { lat = 35.7621, lon = 115.0302 } },
        },
        notes = "每周三回访",
    };

    [Fact]
    public async Task CreateThenGet_ReturnsTheFileWithAuditTrail()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();

        var (created, body) = await op.Client.PostAsync("/api/workers", NewFile(phone));
        var id = body!["id"]!.GetValue<Guid>();
        var (status, file) = await op.Client.GetAsync($"/api/workers/{id}");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("李强", file!["workerName"]!.GetValue<string>());
        Assert.Equal("王芳", file["familyMembers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(35.7621, file["addresses"]![0]!["position"]!["lat"]!.GetValue<double>());
        Assert.Contains("+86" + phone, file["phones"]!.AsArray().Select(p => p!.GetValue<string>()));
        var change = file["changes"]!.AsArray().Single()!;
        Assert.Equal("created", change["what"]!.GetValue<string>());
        Assert.Contains(op.Login, change["actor"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindByPhone_ThreeFormats_FindTheSameFile()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();
        var (_, body) = await op.Client.PostAsync("/api/workers", NewFile(phone));
        var id = body!["id"]!.GetValue<Guid>();

        string[] forms = [phone, $"+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}", $"{phone[..3]} {phone[3..7]} {phone[7..]}"];
        foreach (var form in forms)
        {
            var (status, found) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(form));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(id, Assert.Single(found!.AsArray())!["id"]!.GetValue<Guid>());
        }
    }

    [Fact]
    public async Task FindByPhone_UnknownNumber_ReturnsEmpty()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "coordinator");

        var (status, found) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(FreshMobile()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(found!.AsArray());
    }

    [Fact]
    public async Task Update_ChangesPhones_IndexFollowsAndTrailRecordsIt()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var (oldPhone, newPhone) = (FreshMobile(), FreshMobile());
        var (_, body) = await op.Client.PostAsync("/api/workers", NewFile(oldPhone));
        var id = body!["id"]!.GetValue<Guid>();

        var (status, updated) = await op.Client.PutAsync($"/api/workers/{id}", NewFile(newPhone, name: "李强强"));
        var (_, byOld) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(oldPhone));
        var (_, byNew) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(newPhone));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("李强强", updated!["workerName"]!.GetValue<string>());
        Assert.Empty(byOld!.AsArray());
        Assert.Equal(id, Assert.Single(byNew!.AsArray())!["id"]!.GetValue<Guid>());
        var what = updated["changes"]!.AsArray().Last()!["what"]!.GetValue<string>();
        Assert.Contains("workerName", what, StringComparison.Ordinal);
        Assert.Contains("familyMembers", what, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithQuery_FindsByName()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var name = "赵" + Guid.NewGuid().ToString("N")[..6];
        var (_, body) = await op.Client.PostAsync("/api/workers", NewFile(FreshMobile(), name));

        var (status, list) = await FamilyFiles.SearchAsync(op.Client, name);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(body!["id"]!.GetValue<Guid>(), Assert.Single(list!["items"]!.AsArray())!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task GetAndUpdate_UnknownId_Return404()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var id = Guid.NewGuid();

        var (get, _) = await op.Client.GetAsync($"/api/workers/{id}");
        var (put, problem) = await op.Client.PutAsync($"/api/workers/{id}", NewFile(FreshMobile()));

        Assert.Equal(HttpStatusCode.NotFound, get);
        Assert.Equal(HttpStatusCode.NotFound, put);
        Assert.Contains(id.ToString(), problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "malformed JSON", """{"workerName": "李强", "familyMembers": [""", "JSON" },
        { "latitude out of range", Replace("""{"lat": 35.76""", """{"lat": 95.0"""), "lat" },
        { "longitude out of range", Replace("""{"lat": 35.76, "lon": 115.03}""", """{"lat": 35.76, "lon": -181}"""), "lon" },
        { "empty name", Replace("\"workerName\": \"李强\"", "\"workerName\": \"  \""), "workerName" },
        { "oversized notes", Replace("\"notes\": \"每周三回访\"", $"\"notes\": \"{new string('长', 2001)}\""), "notes" },
        { "not a phone number", Replace("\"phone\": \"PHONE\"", "\"phone\": \"12345\""), "phone" },
        { "letters as a phone", Replace("\"phone\": \"PHONE\"", "\"phone\": \"call me maybe\""), "phone" },
        { "wrong type", Replace("\"workerName\": \"李强\"", "\"workerName\": 42"), "workerName" },
        { "missing position", Replace(""", "position": {"lat": 35.76, "lon": 115.03}""", ""), "position" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Create_BadInput_Returns400NamingTheFieldAndWritesNothing(string why, string json, string field)
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");
        var phone = FreshMobile();

        var (status, problem) = await op.Client.PostAsync("/api/workers", json.Replace("PHONE", phone, StringComparison.Ordinal));
        var (_, found) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest(phone));

        Assert.True(status == HttpStatusCode.BadRequest, $"{why}: expected 400, got {(int)status} {problem}");
        Assert.Contains(field, problem!["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(found!.AsArray());
    }

    [Fact]
    public async Task FindByPhone_NotAPhone_Returns400()
    {
        using var op = await TestUsers.CreateAsync(fixture.Web, "operator");

        var (status, problem) = await op.Client.PostAsync("/api/workers/lookup", new PhoneLookupRequest("hello"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("phone", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private const string ValidFile = """
        {"workerName": "李强", "workerPhone": "13800138000", "posting": "新疆塔里木项目部",
         "familyMembers": [{"name": "王芳", "relation": "妻子", "phone": "PHONE"}],
         "addresses": [{"label": "家", "text": "华龙区 中原路 2号院", "position": {"lat": 35.76, "lon": 115.03}}],
         "notes": "每周三回访"}
        """;

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, ValidFile, StringComparison.Ordinal);
        return ValidFile.Replace(from, to, StringComparison.Ordinal);
    }

}
