using System.Text;
using System.Text.Json;
using Outreach.Model;
using Outreach.Web.Infrastructure;
using Outreach.Contracts;
using Outreach.Web.Volunteers;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>The boundary's rules without a server: the JSON pre-check, strict enums and numbers, phones, CSV rows.</summary>
[Category(TestCategory.Unit)]
public sealed class InputRulesTests
{
    private static readonly JsonSerializerOptions Options = Configured();

    private static JsonSerializerOptions Configured()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ContractJson.Configure(options);
        return options;
    }

    private static InputProblem? Check(string json) => JsonInputRules.Check(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"name":"驿站\u0000"}""", "name")]
    [InlineData("""{"name":"a\tb"}""", "name")]
    [InlineData("""{"notes":"ok\n","familyMembers":[{"name":"x"},{"name":"y\u001f"}]}""", "familyMembers[1].name")]
    [InlineData("""{"addresses":[{"label":"家","position":{"lat":1,"lon":2}},{"label":"\u0007"}]}""", "addresses[1].label")]
    [InlineData("""{"roles":["operator","\u0000"]}""", "roles[1]")]
    [InlineData("""{"a\u0000":1}""", "a\\0")]
    [InlineData("""{"description":"two\nlines\u0000"}""", "description")]
    [InlineData("""{"name":"驿站\u007f"}""", "name")]
    [InlineData("""{"description":"line\u0085break"}""", "description")]
    [InlineData("""{"address":"\u009b31m红色"}""", "address")]
    public void Check_ControlCharacter_NamesTheField(string json, string field)
    {
        var problem = Check(json);

        Assert.NotNull(problem);
        Assert.Equal(field, problem.Field?.Replace("\0", "\\0", StringComparison.Ordinal));
        Assert.Contains("U+00", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"familyMembers":[null]}""", "familyMembers[0]")]
    [InlineData("""{"addresses":[{"label":"家"},null]}""", "addresses[1]")]
    [InlineData("""{"kits":[{"name":"急救包","quantity":1},{"name":"x","quantity":2},null]}""", "kits[2]")]
    [InlineData("""{"skills":["Meals",null]}""", "skills[1]")]
    [InlineData("""[null]""", "[0]")]
    public void Check_NullArrayItem_NamesIt(string json, string field)
    {
        var problem = Check(json);

        Assert.NotNull(problem);
        Assert.Equal(field, problem.Field);
        Assert.Contains("null", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"李强","notes":"第一行\r\n第二行\t缩进","workerPhone":null,"familyMembers":[]}""")]
    [InlineData("""{"reason":"a\tb","note":"c\nd","description":"e\rf"}""")]
    [InlineData("""{"workerName":"李强","addresses":[{"label":"家","text":"中原路","position":{"lat":35.7,"lon":115.0}}]}""")]
    [InlineData("""{"workerName": "李强", "familyMembers": [""")] // malformed: the deserializer reports it
    public void Check_AcceptableOrMalformed_PassesIt(string json) => Assert.Null(Check(json));

    [Fact]
    public void Check_LoneSurrogate_IsAProblem() =>
        Assert.Equal("name", Check("""{"name":"\ud800"}""")?.Field);

    [Theory]
    [InlineData("\"ebike\"")]
    [InlineData("\"EBIKE\"")]
    [InlineData("\" EBike\"")]
    [InlineData("\"EBike \"")]
    [InlineData("\"Walk,Car\"")]
    [InlineData("\"Walk, Car\"")]
    [InlineData("2")]
    [InlineData("\"2\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    public void Enum_NotExactlyAWord_IsRefused_ListingTheWords(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TravelMode>(json, Options));

        Assert.Contains("Walk, Bike, EBike, Car", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_ExactWord_RoundTrips()
    {
        Assert.Equal(TravelMode.EBike, JsonSerializer.Deserialize<TravelMode>("\"EBike\"", Options));
        Assert.Equal("\"SchoolSupplies\"", JsonSerializer.Serialize(HelpCategory.SchoolSupplies, Options));
    }

    [Fact]
    public void Enum_FlagsInAnArray_NameTheItem()
    {
        var error = Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize<VolunteerRequest>("""{"name":"x","phone":"13912345678","skills":["Meals,Escort"],"travelMode":"Bike"}""", Options));

        Assert.Equal("$.skills[0]", error.Path);
    }

    [Fact]
    public void Number_SentAsAString_IsRefused()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PositionDto>("""{"lat":"30","lon":115}""", Options));

        Assert.Equal("$.lat", error.Path);
        Assert.Equal(30, JsonSerializer.Deserialize<PositionDto>("""{"lat":30,"lon":115}""", Options)!.Lat);
    }

    [Fact]
    public void Number_InAKitSentAsAString_IsRefused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<KitDto>("""{"name":"急救包","quantity":"3"}""", Options));

    [Theory]
    [InlineData("13800001111x")]
    [InlineData("138-0000-1111 ext. 12")]
    [InlineData("1380000111a")]
    [InlineData("138 0000 1111;")]
    [InlineData("13+800001111")]
    public void Phones_WithLettersOrJunk_AreNotPhoneNumbers(string typed) => Assert.Null(Phones.Normalize(typed));

    [Theory]
    [InlineData("(0393) 481-2345", "+863934812345")]
    [InlineData(" +86 138.0000.1111 ", "+8613800001111")]
    [InlineData("１３８００００１１１１", "+8613800001111")]
    public void Phones_UsualSeparators_StillNormalise(string typed, string e164) => Assert.Equal(e164, Phones.Normalize(typed));

    private static VolunteerImportEndpoints.Row Row(string name = "张三", string phone = "13912345678", string skills = "Meals|Escort",
        string travelMode = "Bike", string? homeStation = null, string? capacity = null) =>
        new(2, name, phone, skills, travelMode, homeStation, capacity, 6, 6);

    [Theory]
    [InlineData("Meals,SchoolSupplies", "skills")]
    [InlineData("meals", "skills")]
    [InlineData("Meals| Escort", "skills")]
    [InlineData("3", "skills")]
    [InlineData("Meals|Escort\u0000", "skills")]
    [InlineData("Meals||Escort", "skills")]
    [InlineData("Meals|", "skills")]
    public void ImportRow_BadSkills_IsRejectedNamingTheColumn(string skills, string field)
    {
        Assert.Null(VolunteerImportEndpoints.Check(Row(skills: skills), [], out var problem));
        Assert.Equal(field, problem.Field);
    }

    [Theory]
    [InlineData("张\u0000三", "Bike", "13912345678", "name")]
    [InlineData("张三", "ebike", "13912345678", "travelMode")]
    [InlineData("张三", "1", "13912345678", "travelMode")]
    [InlineData("张三", "Bike", "13912345678x", "phone")]
    [InlineData("张三\u007F", "Bike", "13912345678", "name")]
    [InlineData("张\u0085三", "Bike", "13912345678", "name")]
    [InlineData("张三", " EBike", "13912345678", "travelMode")]
    public void ImportRow_BadField_IsRejectedNamingTheColumn(string name, string travelMode, string phone, string field)
    {
        Assert.Null(VolunteerImportEndpoints.Check(Row(name: name, travelMode: travelMode, phone: phone), [], out var problem));
        Assert.Equal(field, problem.Field);
    }

    [Theory]
    [InlineData(" 2 ")]
    [InlineData("2.5")]
    [InlineData("1e1")]
    [InlineData("+2")]
    public void ImportRow_CapacityNotPlainDigits_IsRejected(string capacity)
    {
        Assert.Null(VolunteerImportEndpoints.Check(Row(capacity: capacity), [], out var problem));
        Assert.Equal("capacity", problem.Field);
    }

    [Fact]
    public void ImportRow_ExactWords_IsAccepted()
    {
        var volunteer = VolunteerImportEndpoints.Check(Row(skills: "Meals|SchoolSupplies;Escort", travelMode: "EBike"), [], out _);

        Assert.NotNull(volunteer);
        Assert.Equal([HelpCategory.Meals, HelpCategory.SchoolSupplies, HelpCategory.Escort], volunteer.Skills);
        Assert.Equal(TravelMode.EBike, volunteer.TravelMode);
    }
}
