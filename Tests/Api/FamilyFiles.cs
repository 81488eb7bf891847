using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>Family files for the personal-data tests: fresh numbers, a known address.</summary>
public static class FamilyFiles
{
    public const string Address = "华龙区 中原路 2号院 5号楼 301";

    /// <summary>A mobile number no other test uses (valid for CN: 139 + 8 digits).</summary>
    public static string FreshMobile() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    public static FamilyFileRequest NewFile(string phone, string name = "李强") => new(
        name,
        Posting: "中原油田 伊拉克哈法亚项目",
        FamilyMembers: [new FamilyMemberDto("王芳", "妻子", phone)],
        Addresses: [new FamilyAddressDto("家", Address, new PositionDto(35.7621, 115.0302))]);

    /// <summary>Searches the files as the console does (<c>POST /api/workers/search</c>: the text in the body).</summary>
    public static Task<(HttpStatusCode Status, JsonNode? Body)> SearchAsync(ApiClient client, string q, int? page = null, int? pageSize = null) =>
        client.PostAsync("/api/workers/search", new FamilyFileSearchRequest(q, page, pageSize));

    /// <summary>Creates a file through the API and returns it.</summary>
    public static async Task<JsonNode> CreateAsync(ApiClient client, string phone, string name = "李强")
    {
        var (status, body) = await client.PostAsync("/api/workers", NewFile(phone, name));
        Assert.True(status == HttpStatusCode.Created, $"creating a file: {(int)status} {body}");
        return body!;
    }
}
