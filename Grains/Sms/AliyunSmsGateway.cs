using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Outreach.Grains.Sms;

/// <summary>
/// Aliyun SMS (dysmsapi, API version 2017-05-25), action <c>SendSms</c>, called as its RPC API documents: the common
/// parameters (AccessKeyId, Format, RegionId, SignatureMethod HMAC-SHA1, SignatureNonce, SignatureVersion 1.0,
/// Timestamp, Version) and the action's (PhoneNumbers, SignName, TemplateCode, TemplateParam as JSON), signed with
/// <see cref="AliyunSignature"/>, sent as a POST form to <see cref="SmsOptions.ApiBase"/> (so no number is ever
/// part of a URL). The answer's <c>Code</c> is <c>OK</c> when the provider took the message; a provider that does not
/// answer in time or cannot be reached, after the retries, is a failed result (<c>timeout</c>, <c>unreachable</c>).
/// </summary>
public sealed class AliyunSmsGateway(IHttpClientFactory clients, IOptions<SmsOptions> options, TimeProvider clock, ILogger<AliyunSmsGateway> log) : ISmsGateway
{
    public const string ApiVersion = "2017-05-25";

    /// <summary>The named HttpClient (its retries and time-out: <c>GrainServices.AddOutreachReach</c>).</summary>
    public const string Client = "sms";

    /// <summary>TemplateParam as plain UTF-8 JSON (Chinese as itself, not escaped).</summary>
    private static readonly JsonSerializerOptions TemplateJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private readonly SmsOptions _options = options.Value;

    public async Task<SmsSendResult> SendAsync(string phone, SmsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phone);
        ArgumentNullException.ThrowIfNull(message);
        var parameters = Parameters(phone, message, clock.GetUtcNow(), Guid.NewGuid().ToString("N"));
        parameters["Signature"] = AliyunSignature.Sign("POST", parameters, _options.AccessKeySecret!);

        using var request = new HttpRequestMessage(HttpMethod.Post, _options.ApiBase)
        {
            Content = new StringContent(
                string.Join("&", parameters.Select(p => AliyunSignature.PercentEncode(p.Key) + "=" + AliyunSignature.PercentEncode(p.Value))),
                Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var http = clients.CreateClient(Client);
        HttpResponseMessage answer;
        try
        {
            answer = await http.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            log.LogWarning("Aliyun SMS did not answer a {Kind} message in time, after the retries", message.Kind);
            return new SmsSendResult(false, "timeout");
        }
        catch (HttpRequestException e)
        {
            log.LogWarning("Aliyun SMS not reachable for a {Kind} message ({Reason})", message.Kind, e.HttpRequestError);
            return new SmsSendResult(false, "unreachable");
        }
        using var response = answer;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var code = CodeIn(body) ?? $"HTTP {(int)response.StatusCode}";
        var accepted = response.StatusCode == HttpStatusCode.OK && code == "OK";
        if (!accepted)
            log.LogWarning("Aliyun SMS refused a {Kind} message: HTTP {Status}, code {Code}", message.Kind, (int)response.StatusCode, code);
        return new SmsSendResult(accepted, code);
    }

    /// <summary>Every parameter of the call but the signature.</summary>
    internal SortedDictionary<string, string> Parameters(string phone, SmsMessage message, DateTimeOffset now, string nonce) => new(StringComparer.Ordinal)
    {
        ["AccessKeyId"] = _options.AccessKeyId!,
        ["Action"] = "SendSms",
        ["Format"] = "JSON",
        ["PhoneNumbers"] = ProviderNumber(phone),
        ["RegionId"] = _options.RegionId,
        ["SignName"] = _options.SignName!,
        ["SignatureMethod"] = "HMAC-SHA1",
        ["SignatureNonce"] = nonce,
        ["SignatureVersion"] = "1.0",
        ["TemplateCode"] = _options.Templates.CodeOf(message.Kind)!,
        ["TemplateParam"] = JsonSerializer.Serialize(message.Parameters, TemplateJson),
        ["Timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["Version"] = ApiVersion,
    };

    /// <summary>Mainland numbers as their 11 digits; others as country code and number, without the <c>+</c>.</summary>
    internal static string ProviderNumber(string e164) =>
        e164.StartsWith("+86", StringComparison.Ordinal) ? e164[3..] : e164.TrimStart('+');

    private static string? CodeIn(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("Code", out var code)
                && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
