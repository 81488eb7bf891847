using System.Net;
using System.Text;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>
/// Input that could poison a store is refused at the boundary: control characters, null array items, enum words that
/// are not exactly a documented word, numbers sent as strings, phone numbers with junk — 400 naming the field, and
/// nothing written.
/// </summary>
[Collection(SystemCollection.Name)]
[Category(TestCategory.System)]
public sealed class InputRulesTests(SystemFixture fixture)
{
    private const string Station = """
        {"name": "NAME", "address": "华龙区 胜利路 100号", "position": {"lat": 35.765, "lon": 115.025},
         "phone": "0393-4812345", "kits": [{"name": "急救包", "quantity": 3}]}
        """;

    private const string FamilyFile = """
        {"workerName": "NAME", "workerPhone": "13800138000",
         "familyMembers": [{"name": "王芳", "relation": "妻子", "phone": "13803930001"}],
         "addresses": [{"label": "家", "text": "华龙区 中原路 2号院", "position": {"lat": 35.76, "lon": 115.03}}],
         "notes": "每周三回访"}
        """;

    private const string Volunteer = """{"name": "NAME", "phone": "13912345678", "skills": ["Meals"], "travelMode": "Bike"}""";

    private static string With(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "/api/stations", With(Station, "\"NAME\"", "\"NAME\\u0000\""), "name" },
        { "/api/workers", With(FamilyFile, "\"NAME\"", "\"NAME\\u001b\""), "workerName" },
        { "/api/stations", With(Station, """[{"name": "急救包", "quantity": 3}]""", "[null]"), "kits[0]" },
        { "/api/stations", With(Station, "\"lat\": 35.765", "\"lat\": \"35.765\""), "position.lat" },
        { "/api/stations", With(Station, "\"quantity\": 3", "\"quantity\": \"3\""), "kits[0].quantity" },
        { "/api/stations", With(Station, "0393-4812345", "13800001111x"), "Phone" },
        { "/api/workers", With(FamilyFile, """[{"name": "王芳", "relation": "妻子", "phone": "13803930001"}]""", "[null]"), "familyMembers[0]" },
        { "/api/workers", With(FamilyFile, """{"label": "家", "text": "华龙区 中原路 2号院", "position": {"lat": 35.76, "lon": 115.03}}""",
            """{"label": "家", "text": "华龙区 中原路 2号院", "position": {"lat": 35.76, "lon": 115.03}}, null"""), "addresses[1]" },
        { "/api/workers", With(FamilyFile, "\"relation\": \"妻子\"", "\"relation\": \"妻\\u0000子\""), "familyMembers[0].relation" },
        { "/api/workers", With(FamilyFile, "\"label\": \"家\"", "\"label\": \"家\\t\""), "addresses[0].label" },
        { "/api/volunteers", With(Volunteer, "\"Bike\"", "\"ebike\""), "travelMode" },
        { "/api/volunteers", With(Volunteer, "\"Bike\"", "\"Bike \""), "travelMode" },
        { "/api/volunteers", With(Volunteer, "[\"Meals\"]", "[\"Meals,Escort\"]"), "skills[0]" },
        { "/api/volunteers", With(Volunteer, "[\"Meals\"]", "[\" Meals\"]"), "skills[0]" },
        { "/api/volunteers", With(Volunteer, "[\"Meals\"]", "[\"meals\"]"), "skills[0]" },
        { "/api/volunteers", With(Volunteer, "[\"Meals\"]", "[\"Meals\", null]"), "skills[1]" },
        { "/api/volunteers", With(Volunteer, "13912345678", "1391234567x"), "Phone" },
        { "/api/accounts", """{"login": "okay-login", "password": "long-enough", "name": "NAME\u0000", "roles": ["operator"]}""", "name" },
        { "/api/accounts", """{"login": "okay-login", "password": "long-enough", "name": "NAME", "roles": [null]}""", "roles[0]" },
        { "/api/volunteers", With(Volunteer, "\"NAME\"", "\"NAME\\u202e\""), "name" },
        { "/api/stations", With(Station, "\"NAME\"", "\"NAME\\u200b\\u200b\""), "name" },
        { "/api/workers", With(FamilyFile, "\"notes\": \"每周三回访\"", "\"notes\": \"每周三\\u2067回访\""), "notes" },
        // Blank-looking letters and hidden breaks: an address or a name of nothing but these looks empty.
        { "/api/workers", With(FamilyFile, "华龙区 中原路 2号院", "\\u3164\\u3164\\u3164"), "addresses[0].text" },
        { "/api/workers", With(FamilyFile, "华龙区 中原路 2号院", "\\u2800\\u2800"), "addresses[0].text" },
        { "/api/workers", With(FamilyFile, "华龙区 中原路 2号院", "华龙区\\u00ad中原路"), "addresses[0].text" },
        { "/api/workers", With(FamilyFile, "华龙区 中原路 2号院", "华龙区\\u180e中原路"), "addresses[0].text" },
        { "/api/workers", With(FamilyFile, "\"notes\": \"每周三回访\"", "\"notes\": \"每周三\\u2028回访\""), "notes" },
        { "/api/volunteers", With(Volunteer, "\"NAME\"", "\"\\uffa0\\u115f\""), "name" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Post_BadBody_Returns400NamingTheField_AndWritesNothing(string path, string json, string field)
    {
        using var admin = await fixture.Web.AdminAsync();
        var name = "毒-" + Guid.NewGuid().ToString("N")[..8];
        json = json.Replace("NAME", name, StringComparison.Ordinal);

        var (status, problem) = await admin.PostAsync(path, json);
        var (listed, list) = path switch
        {
            "/api/accounts" => await admin.GetAsync(path),
            "/api/workers" => await FamilyFiles.SearchAsync(admin, name),
            _ => await admin.GetAsync(path + "?q=" + Uri.EscapeDataString(name)),
        };


        Assert.True(status == HttpStatusCode.BadRequest, $"{path} {field}: expected 400, got {(int)status} {problem}");
        Assert.Contains(field, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.DoesNotContain(name, list!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enum_WrongWord_The400ListsTheWords()
    {
        using var admin = await fixture.Web.AdminAsync();

        var (status, problem) = await admin.PostAsync("/api/volunteers", With(Volunteer, "\"Bike\"", "\"ebike\"").Replace("NAME", "甲", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("travelMode", problem!["field"]!.GetValue<string>());
        Assert.Contains("Walk, Bike, EBike, Car", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Station_WithNulInName_Is400_AndStationsCreatedAfterItAreSavedAndListed()
    {
        using var admin = await fixture.Web.AdminAsync();
        var poisoned = "毒-" + Guid.NewGuid().ToString("N")[..8];
        var good = "好-" + Guid.NewGuid().ToString("N")[..8];

        var (refused, _) = await admin.PostAsync("/api/stations", Station.Replace("NAME", poisoned + "\\u0000", StringComparison.Ordinal));
        var (created, body) = await admin.PostAsync("/api/stations", Station.Replace("NAME", good, StringComparison.Ordinal));
        var id = body!["id"]!.GetValue<Guid>();
        var (updated, _) = await admin.PutAsync($"/api/stations/{id}", Station.Replace("NAME", good + "（新）", StringComparison.Ordinal));
        var (_, list) = await admin.GetAsync("/api/stations");

        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, updated);
        var names = list!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToArray();
        Assert.Contains(good + "（新）", names);
        Assert.DoesNotContain(names, n => n.StartsWith(poisoned, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Body_SentInPiecesWithoutALength_IsCheckedAndReadWhole()
    {
        using var admin = await fixture.Web.AdminAsync();
        var name = "长-" + Guid.NewGuid().ToString("N")[..8];
        // 20 KB of white space inside the JSON: the body outgrows the first buffer several times.
        var json = Station.Replace("NAME", name, StringComparison.Ordinal).Replace("{", "{" + new string(' ', 20_000), StringComparison.Ordinal);
        var poisoned = json.Replace(name, name + "\\u0000", StringComparison.Ordinal);

        var created = await admin.Contract.SendAsync(HttpMethod.Post, "/api/stations", new Pieces(json));
        var refused = await admin.Contract.SendAsync(HttpMethod.Post, "/api/stations", new Pieces(poisoned));

        var (_, list) = await admin.GetAsync("/api/stations");

        Assert.True(created.Status == HttpStatusCode.Created, $"expected 201, got {(int)created.Status} {created.Body}");
        Assert.Contains(name, list!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("name", System.Text.Json.Nodes.JsonNode.Parse(refused.Body)!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_OverTheLimit_Is413_WithOrWithoutALength(bool withLength)
    {
        using var admin = await fixture.Web.AdminAsync();
        var name = "大-" + Guid.NewGuid().ToString("N")[..8];
        var json = Station.Replace("NAME", name, StringComparison.Ordinal).Replace("{", "{" + new string(' ', 1024 * 1024), StringComparison.Ordinal);

        var answer = await admin.Contract.SendAsync(HttpMethod.Post, "/api/stations",
            withLength ? new StringContent(json, Encoding.UTF8, "application/json") : new Pieces(json));
        var (_, list) = await admin.GetAsync("/api/stations?q=" + Uri.EscapeDataString(name));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.DoesNotContain(name, list!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FreeText_MayHoldLineBreaksAndTabs()
    {
        using var admin = await fixture.Web.AdminAsync();
        var json = FamilyFile.Replace("NAME", "李强", StringComparison.Ordinal)
            .Replace("\"notes\": \"每周三回访\"", "\"notes\": \"每周三回访\\n下午\\t3点\"", StringComparison.Ordinal);

        var (status, file) = await admin.PostAsync("/api/workers", json);

        Assert.True(status == HttpStatusCode.Created, $"expected 201, got {(int)status} {file}");
        Assert.Equal("每周三回访\n下午\t3点", file!["notes"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"login": "admin\u0000", "password": "whatever-1"}""", "login")]
    [InlineData("""{"login": "admin", "password": "what\u0000ever"}""", "password")]
    public async Task Login_WithControlCharacter_Returns400NotA500(string json, string field)
    {
        using var anonymous = fixture.Web.Anonymous();

        var (status, problem) = await anonymous.PostAsync("/api/auth/login", json);

        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400, got {(int)status} {problem}");
        Assert.Equal(field, problem!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/requests?status=Open", "status")]
    [InlineData("/api/requests?status=open%20", "status")]
    [InlineData("/api/workers?q=%E6%9D%8E%00", "q")]
    [InlineData("/api/accounts/admin%01", "login")]
    public async Task QueryOrRouteValue_NotExact_OrWithAControlCharacter_Returns400(string path, string field)
    {
        using var admin = await fixture.Web.AdminAsync();

        var (status, problem) = await admin.GetAsync(path);

        Assert.True(status == HttpStatusCode.BadRequest, $"{path}: expected 400, got {(int)status} {problem}");
        Assert.Contains(field, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/workers?page=abc", "page")]
    [InlineData("/api/audit?from=x", "from")]
    [InlineData("/api/requests?mine=yes", "mine")]
    public async Task QueryValue_ThatCannotBeRead_Returns400WithTheFieldNamed(string path, string field)
    {
        using var admin = await fixture.Web.AdminAsync();

        var (status, problem) = await admin.GetAsync(path);

        Assert.True(status == HttpStatusCode.BadRequest, $"{path}: expected 400, got {(int)status} {problem}");
        Assert.Equal(field, problem!["field"]?.GetValue<string>());
    }

    [Fact]
    public async Task Import_EachBadLine_IsRejectedWithItsLineAndField_AndNothingOfItIsStored()
    {
        using var admin = await fixture.Web.AdminAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var csv = string.Join("\n",
            "name,phone,skills,travelMode",
            $"好{tag},13912340001,Meals|Escort,EBike",
            $"毒{tag}\u0000,13912340002,Meals,Bike",
            $"旗{tag},13912340003,\"Meals,SchoolSupplies\",Bike",
            $"小{tag},13912340004,Meals,ebike",
            $"号{tag},13912340005x,Meals,Bike",
            $"空{tag},13912340006,Meals| Escort,Bike");

        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await admin.Http.PostAsync("/api/volunteers/import", content);
        var report = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var (_, list) = await admin.GetAsync("/api/volunteers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, report["imported"]!.GetValue<int>());
        var rejected = report["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["field"]!.GetValue<string>())).ToArray();
        Assert.Equal([(3, "name"), (4, "skills"), (5, "travelMode"), (6, "phone"), (7, "skills")], rejected);
        var names = list!.AsArray().Select(v => v!["name"]!.GetValue<string>()).Where(n => n.EndsWith(tag, StringComparison.Ordinal) || n.Contains(tag, StringComparison.Ordinal)).ToArray();
        Assert.Equal([$"好{tag}"], names);
    }

    [Fact]
    public async Task Body_AfterAByteOrderMark_IsCheckedAsTheDeserializerReadsIt()
    {
        using var admin = await fixture.Web.AdminAsync();
        var good = "序-" + Guid.NewGuid().ToString("N")[..8];
        var poisoned = "毒-" + Guid.NewGuid().ToString("N")[..8];

        var created = await admin.Contract.SendAsync(HttpMethod.Post, "/api/stations", WithByteOrderMark(Station.Replace("NAME", good, StringComparison.Ordinal)));
        var refused = await admin.Contract.SendAsync(HttpMethod.Post, "/api/stations",
            WithByteOrderMark(Station.Replace("NAME", poisoned + "\\u0000", StringComparison.Ordinal)));
        var (_, list) = await admin.GetAsync("/api/stations");

        Assert.True(created.Status == HttpStatusCode.Created, $"expected 201, got {(int)created.Status} {created.Body}");
        Assert.True(refused.Status == HttpStatusCode.BadRequest, $"expected 400, got {(int)refused.Status} {refused.Body}");
        Assert.Equal("name", System.Text.Json.Nodes.JsonNode.Parse(refused.Body)!["field"]!.GetValue<string>());
        var names = list!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToArray();
        Assert.Contains(good, names);
        Assert.DoesNotContain(names, n => n.StartsWith(poisoned, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Body_InAnotherCharset_Is415_AndWritesNothing()
    {
        using var admin = await fixture.Web.AdminAsync();
        var name = "码-" + Guid.NewGuid().ToString("N")[..8];
        var json = Station.Replace("NAME", name + "\\u0000", StringComparison.Ordinal);
        using var content = new ByteArrayContent(Encoding.Unicode.GetBytes(json));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");

        var answer = await admin.Contract.SendAsync(HttpMethod.Post, "/api/stations", content);
        var (_, list) = await admin.GetAsync("/api/stations?q=" + Uri.EscapeDataString(name));

        Assert.True(answer.Status == HttpStatusCode.UnsupportedMediaType, $"expected 415, got {(int)answer.Status} {answer.Body}");
        Assert.Contains("UTF-8", answer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(name, list!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteBody_WithAControlCharacter_Is400NamingTheField()
    {
        using var volunteer = await TestUsers.CreateAsync(fixture.Web, "volunteer");
        using var content = new StringContent("""{"endpoint":"https://push.example/x\u0000"}""", Encoding.UTF8, "application/json");

        var answer = await volunteer.Client.Contract.SendAsync(HttpMethod.Delete, "/api/volunteers/me/push-subscriptions", content);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"expected 400, got {(int)answer.Status} {answer.Body}");
        Assert.Equal("endpoint", System.Text.Json.Nodes.JsonNode.Parse(answer.Body)!["field"]!.GetValue<string>());
    }

    private static ByteArrayContent WithByteOrderMark(string json)
    {
        var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A JSON body sent in 1 KB pieces with no <c>Content-Length</c> (chunked), as a streaming client sends it.</summary>
    private sealed class Pieces : HttpContent
    {
        private readonly byte[] _bytes;

        public Pieces(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var at = 0; at < _bytes.Length; at += 1024)
            {
                await stream.WriteAsync(_bytes.AsMemory(at, Math.Min(1024, _bytes.Length - at)));
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
