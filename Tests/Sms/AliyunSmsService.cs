using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Sms;

/// <summary>
/// A local stand-in for Aliyun's SMS API (dysmsapi, 2017-05-25) on a free loopback port. It checks each request the
/// way the provider documents it and answers as the provider does: the common parameters (AccessKeyId, Action SendSms,
/// Format, RegionId, SignatureMethod HMAC-SHA1, SignatureVersion 1.0, a fresh SignatureNonce, a Timestamp within
/// 15 minutes, Version), the signature recomputed here with the secret (its own reading of "签名机制", not the product's
/// code), the sign name, a known template code with exactly that template's variables as a JSON object, and a mainland
/// number. A request that passes is kept and answered <c>{"Code":"OK"}</c>; one that fails gets the provider's code
/// (<c>SignatureDoesNotMatch</c> with 400, <c>isv.…</c> with 200) and is kept among the refused.
/// </summary>
public sealed class AliyunSmsService : IAsyncDisposable
{
    public const string AccessKeyId = "LTAItestkeyid";
    public const string AccessKeySecret = "test-secret-Kf93jd0aLq";
    public const string SignName = "职工暖心服务";

    /// <summary>The template code of each kind of message and the variables the approved template has.</summary>
    public static readonly IReadOnlyDictionary<string, (string Code, string[] Variables)> Templates = new Dictionary<string, (string, string[])>
    {
        ["FamilyClaimed"] = ("SMS_100000001", ["surname", "eta", "link"]),
        ["FamilyOnSite"] = ("SMS_100000002", ["surname", "link"]),
        ["FamilyCompleted"] = ("SMS_100000003", ["hotline", "link"]),
        ["VolunteerOffer"] = ("SMS_100000004", ["urgency", "category", "eta", "code"]),
        ["ReplyClaimed"] = ("SMS_100000005", ["hotline"]),
        ["ReplyTaken"] = ("SMS_100000006", []),
        ["ReplyInvalid"] = ("SMS_100000007", []),
    };

    private readonly LoopbackHttpServer _server;
    private readonly List<SentSms> _accepted = [];
    private readonly List<string> _refused = [];
    private readonly HashSet<string> _nonces = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private int _hanging;

    public AliyunSmsService()
    {
        _server = new LoopbackHttpServer(AnswerAsync);
    }

    public int Port => _server.Port;

    /// <summary>How it answers now: as the provider, with HTTP 500, or never (the connection hangs).</summary>
    public ServiceMode Mode { get; set; } = ServiceMode.Normal;

    /// <summary>The silo settings that send the product's SMS here.</summary>
    public Dictionary<string, string> SiloSettings(string hotline)
    {
        var settings = new Dictionary<string, string>
        {
            ["Sms__Provider"] = "aliyun",
            ["Sms__Endpoint"] = $"http://127.0.0.1:{Port}/",
            ["Sms__AccessKeyId"] = AccessKeyId,
            ["Sms__AccessKeySecret"] = AccessKeySecret,
            ["Sms__SignName"] = SignName,
            ["Sms__Hotline"] = hotline,
        };
        foreach (var (kind, (code, _)) in Templates)
            settings[$"Sms__Templates__{kind}"] = code;
        return settings;
    }

    /// <summary>Messages the provider took, oldest first.</summary>
    public IReadOnlyList<SentSms> Accepted
    {
        get
        {
            lock (_accepted)
                return [.. _accepted];
        }
    }

    /// <summary>Why requests were refused (empty when the product spoke the protocol right).</summary>
    public IReadOnlyList<string> Refused
    {
        get
        {
            lock (_accepted)
                return [.. _refused];
        }
    }

    /// <summary>How many requests are being held without an answer now (<see cref="ServiceMode.Hang"/>).</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    /// <summary>Waits until at least one request is being held without an answer.</summary>
    public async Task WaitForHangingAsync(string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Hanging == 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No request reached the hanging provider: {what}.");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for an accepted message that matches; the timeout's message says which one did not come.</summary>
    public async Task<SentSms> WaitForAsync(Func<SentSms, bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Accepted.FirstOrDefault(match) is { } found)
                return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No SMS {what} reached the provider. Accepted: {string.Join("; ", Accepted)}. Refused: {string.Join("; ", Refused)}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(500) ? left : TimeSpan.FromMilliseconds(500));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            switch (Mode)
            {
                case ServiceMode.Hang:
                    Interlocked.Increment(ref _hanging);
                    try
                    {
                        await Task.Delay(TimeSpan.FromMinutes(5)); // the client gives up first
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _hanging);
                    }
                    return;
                case ServiceMode.Fail500:
                    await WriteAsync(context, 500, """{"Code":"InternalError","Message":"The request processing has failed due to some unknown error."}""");
                    return;
            }
            var (status, code, sent) = Check(context.Request, body);
            lock (_accepted)
            {
                if (sent is not null)
                    _accepted.Add(sent);
                else
                    _refused.Add(code);
            }
            _arrived.Release();
            await WriteAsync(context, status,
                JsonSerializer.Serialize(new { Code = code, Message = code == "OK" ? "OK" : code, RequestId = Guid.NewGuid().ToString().ToUpperInvariant(), BizId = sent is null ? null : "900619746936498440^0" }));
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (a hang it gave up on).
        }
    }

    private (int Status, string Code, SentSms? Sent) Check(HttpListenerRequest request, string body)
    {
        if (request.HttpMethod != "POST" || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
            return (400, "UnsupportedHTTPMethodOrContentType", null);
        if (request.Url!.Query.Length > 0)
            return (400, "ParametersInUrl", null); // the product promises no number in a URL: everything in the body
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at < 0)
                return (400, "MalformedBody", null);
            form[Uri.UnescapeDataString(pair[..at])] = Uri.UnescapeDataString(pair[(at + 1)..]);
        }
        string? P(string name) => form.TryGetValue(name, out var v) ? v : null;

        if (P("AccessKeyId") != AccessKeyId)
            return (404, "InvalidAccessKeyId.NotFound", null);
        if (P("Action") != "SendSms" || P("Version") != "2017-05-25")
            return (400, "InvalidAction.NotFound", null);
        if (P("Format") is not ("JSON" or "XML") || string.IsNullOrEmpty(P("RegionId")))
            return (400, "MissingParameter", null);
        if (P("SignatureMethod") != "HMAC-SHA1" || P("SignatureVersion") != "1.0")
            return (400, "InvalidSignatureMethod", null);
        if (!DateTimeOffset.TryParseExact(P("Timestamp"), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var timestamp) || (DateTimeOffset.UtcNow - timestamp).Duration() > TimeSpan.FromMinutes(15))
            return (400, "InvalidTimeStamp.Expired", null);
        if (P("Signature") is not { } signature || signature != ExpectedSignature(form))
            return (400, "SignatureDoesNotMatch", null);
        lock (_nonces)
        {
            if (P("SignatureNonce") is not { Length: > 0 } nonce || !_nonces.Add(nonce))
                return (400, "SignatureNonceUsed", null);
        }
        if (P("SignName") != SignName)
            return (200, "isv.SMS_SIGNATURE_ILLEGAL", null);
        var template = Templates.FirstOrDefault(t => t.Value.Code == P("TemplateCode"));
        if (template.Key is null)
            return (200, "isv.SMS_TEMPLATE_ILLEGAL", null);
        Dictionary<string, string>? parameters;
        try
        {
            parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(P("TemplateParam") ?? "{}");
        }
        catch (JsonException)
        {
            return (200, "isv.INVALID_JSON_PARAM", null);
        }
        if (parameters is null || !parameters.Keys.Order(StringComparer.Ordinal).SequenceEqual(template.Value.Variables.Order(StringComparer.Ordinal)))
            return (200, "isv.TEMPLATE_MISSING_PARAMETERS", null);
        if (P("PhoneNumbers") is not { Length: 11 } phone || !phone.All(char.IsAsciiDigit) || phone[0] != '1')
            return (200, "isv.MOBILE_NUMBER_ILLEGAL", null);
        return (200, "OK", new SentSms(phone, template.Key, parameters, DateTimeOffset.UtcNow));
    }

    /// <summary>
    /// The signature as the provider computes it: the parameters but Signature, sorted by name; name and value each
    /// URL-encoded as UTF-8 with the documented fix-ups of a form encoder (space %20, * %2A, ~ kept); joined as
    /// name=value with &amp;; "POST&amp;%2F&amp;" and that query encoded again; HMAC-SHA1 keyed with the secret and "&amp;";
    /// Base64.
    /// </summary>
    private static string ExpectedSignature(Dictionary<string, string> form)
    {
        static string Encode(string s) => WebUtility.UrlEncode(s).Replace("+", "%20", StringComparison.Ordinal)
            .Replace("*", "%2A", StringComparison.Ordinal).Replace("%7E", "~", StringComparison.Ordinal)
            // WebUtility leaves ! ( ) unencoded and writes hex in upper case; RFC 3986 encodes the three.
            .Replace("!", "%21", StringComparison.Ordinal).Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal);
        var query = string.Join("&", form.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
        var stringToSign = "POST&" + Encode("/") + "&" + Encode(query);
#pragma warning disable CA5350 // the provider's algorithm
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(AccessKeySecret + "&"));
#pragma warning restore CA5350
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static async Task WriteAsync(HttpListenerContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(json);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
    }
}

/// <summary>How the stand-in answers.</summary>
public enum ServiceMode
{
    Normal,
    Fail500,
    Hang,
}

/// <summary>A message the stand-in took: the number as sent (11 digits), the template's kind, its variables.</summary>
public sealed record SentSms(string Phone, string Kind, IReadOnlyDictionary<string, string> Parameters, DateTimeOffset At)
{
    public string this[string variable] => Parameters[variable];

    public override string ToString() => $"{Kind} to …{Phone[^2..]} ({string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))})";
}
