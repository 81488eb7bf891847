using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>Family files for the personal-data tests: fresh numbers, a known address.</summary>
public static class FamilyFiles
{
    public const string Address = "华龙区 中原路 2号院 5号楼 301";

    /// <summary>A mobile number no other test uses (valid for CN: 139 + 8 digits).</summary>
    public static string FreshMobile() => "139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    public static object NewFile(string phone, string name = "李强") => new
    {
        workerName = name,
        posting = "中原油田 伊拉克哈法亚项目",
        familyMembers = new object[] { new { name = "王芳", relation = "妻子", phone } },
        addresses = new object[] { new { label = "家", text = Address, position = new { lat = 35.7621, lon = 115.0302 } } },
    };

    /// <summary>Creates a file through the API and returns it.</summary>
    public static async Task<JsonNode> CreateAsync(ApiClient client, string phone, string name = "李强")
    {
        var (status, body) = await client.PostAsync("/api/workers", NewFile(phone, name));
        Assert.True(status == HttpStatusCode.Created, $"creating a file: {(int)status} {body}");
        return body!;
    }
}
