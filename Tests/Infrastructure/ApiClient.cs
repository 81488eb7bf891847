using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Outreach.Contracts;

namespace Outreach.Tests.Infrastructure;

/// <summary>An HTTP client for the public API with its own cookie jar (one user).</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClientHandler _handler;

    public ApiClient(Uri baseUrl)
    {
        _handler = new HttpClientHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false };
        Http = new HttpClient(_handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The contract's JSON (camelCase, enums as their names), as the web reads it.</summary>
    public static JsonSerializerOptions Json => ContractJson.Options;

    public async Task LoginAsync(string login, string password)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/login", new LoginRequest(login, password), Json);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Login as {login} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Sends a request and returns the status and the parsed JSON body (null when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw)
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is not null)
            request.Content = JsonContent.Create(body, options: Json);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object? body) => SendAsync(HttpMethod.Post, path, body);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string path, object? body) => SendAsync(HttpMethod.Put, path, body);

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
