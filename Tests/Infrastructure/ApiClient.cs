using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outreach.Contracts;

namespace Outreach.Tests.Infrastructure;

/// <summary>
/// An HTTP client for the public API with its own cookie jar (one user): the contract's <see cref="OutreachClient"/>,
/// answering with the status and the parsed JSON the tests assert on. A string body is sent as it is (raw JSON).
/// </summary>
public sealed class ApiClient(Uri baseUrl) : IDisposable
{
    /// <summary>The contract's client underneath (the shared calls: login, intake, claim).</summary>
    public OutreachClient Contract { get; } = new(baseUrl);

    public HttpClient Http => Contract.Http;

    public CookieContainer Cookies => Contract.Cookies;

    /// <summary>The contract's JSON (camelCase, enums as their names), as the web reads it.</summary>
    public static JsonSerializerOptions Json => ContractJson.Options;

    public Task LoginAsync(string login, string password) => Contract.LoginOrThrowAsync(login, password);

    /// <summary>Sends a request and returns the status and the parsed JSON body (null when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        var content = body switch
        {
            null => null,
            string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
            _ => OutreachClient.JsonBody(body),
        };
        return Parsed(await Contract.SendAsync(method, path, content));
    }

    /// <summary><c>POST /api/requests</c> (the hotline's intake), with an Idempotency-Key when one is given.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostRequestAsync(NewRequestBody body, string? idempotencyKey = null) =>
        Parsed(await Contract.PostRequestAsync(body, idempotencyKey));

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object? body) => SendAsync(HttpMethod.Post, path, body);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string path, object? body) => SendAsync(HttpMethod.Put, path, body);

    public void Dispose() => Contract.Dispose();

    private static (HttpStatusCode Status, JsonNode? Body) Parsed(OutreachAnswer answer) =>
        (answer.Status, answer.Body.Length == 0 ? null : JsonNode.Parse(answer.Body));

    /// <summary>
    /// Reads <paramref name="path"/> until it answers 200 with a body <paramref name="done"/> accepts, for at most
    /// <paramref name="patience"/>; the body. A timeout names <paramref name="what"/> and what was last seen.
    /// </summary>
    public async Task<JsonNode> EventuallyAsync(string path, Func<JsonNode, bool> done, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await GetAsync(path);
            if (status == HttpStatusCode.OK && body is not null)
            {
                last = body;
                if (done(body))
                    return body;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{what} did not happen within {patience.TotalSeconds:0} s; last seen: {last}");
    }
}
