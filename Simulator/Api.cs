using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Outreach.Contracts;

namespace Outreach.Simulator;

/// <summary>One logged-in user of the REST API (its own cookies).</summary>
internal sealed class Api : IDisposable
{
    private readonly HttpClientHandler _handler = new() { CookieContainer = new CookieContainer(), UseCookies = true };
    private readonly HttpClient _http;

    public Api(Uri baseUrl) => _http = new HttpClient(_handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<bool> LoginAsync(string login, string password, CancellationToken cancellationToken)
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/api/auth/login", new LoginRequest(login, password), cancellationToken);
        return status == HttpStatusCode.OK;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body, options: ContractJson.Options);
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, text.Length == 0 || !text.StartsWith('{') && !text.StartsWith('[') ? null : JsonNode.Parse(text));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body ?? new { }, cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }
}
