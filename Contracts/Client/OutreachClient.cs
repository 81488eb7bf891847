using System.Net;
using System.Net.Http.Json;

namespace Outreach.Contracts;

/// <summary>
/// One user of the HTTP API (its own cookie, or a jar shared across web nodes): the login, the contract's JSON and the
/// calls the clients share. Used by the tests, the benchmark, the fault suite and the simulator. Transport faults
/// (<see cref="HttpRequestException"/>, a timeout) are thrown; every answer the web gives is returned.
/// </summary>
public sealed class OutreachClient : IDisposable
{
    private readonly SocketsHttpHandler _handler;

    public OutreachClient(Uri baseAddress, OutreachClientOptions? options = null)
    {
        options ??= new OutreachClientOptions();
        Cookies = options.Cookies ?? new CookieContainer();
        _handler = new SocketsHttpHandler
        {
            CookieContainer = Cookies,
            UseCookies = true,
            AllowAutoRedirect = options.AllowAutoRedirect,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
        };
        Http = new HttpClient(_handler) { BaseAddress = baseAddress, Timeout = options.Timeout };
    }

    /// <summary>The underlying client, for calls outside the contract (static files, metrics, raw bodies).</summary>
    public HttpClient Http { get; }

    /// <summary>The cookie jar: the session cookie after <see cref="LoginAsync"/> (a SignalR connection takes it too).</summary>
    public CookieContainer Cookies { get; }

    /// <summary>A body in the contract's JSON.</summary>
    public static HttpContent JsonBody(object body) => JsonContent.Create(body, options: ContractJson.Options);

    /// <summary>Sends one call and reads the whole answer.</summary>
    public async Task<OutreachAnswer> SendAsync(HttpMethod method, string path, HttpContent? content = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers ?? [])
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await Http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new OutreachAnswer(response.StatusCode, body, RetryAfterOf(response));
    }

    public Task<OutreachAnswer> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    /// <summary>Posts <paramref name="body"/> in the contract's JSON; null: no body.</summary>
    public Task<OutreachAnswer> PostAsync(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, body is null ? null : JsonBody(body), null, cancellationToken);

    /// <summary>Puts <paramref name="body"/> in the contract's JSON.</summary>
    public Task<OutreachAnswer> PutAsync(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, path, JsonBody(body), null, cancellationToken);

    /// <summary><c>POST /api/auth/login</c>; a 200 leaves the session cookie in <see cref="Cookies"/>.</summary>
    public Task<OutreachAnswer> LoginAsync(string login, string password, CancellationToken cancellationToken = default) =>
        PostAsync("/api/auth/login", new LoginRequest(login, password), cancellationToken);

    /// <summary>Logs in, or throws <see cref="InvalidOperationException"/> with the web's answer when it refuses.</summary>
    public async Task LoginOrThrowAsync(string login, string password, CancellationToken cancellationToken = default)
    {
        var answer = await LoginAsync(login, password, cancellationToken);
        if (answer.Status != HttpStatusCode.OK)
            throw new InvalidOperationException($"login as {login}: {(int)answer.Status} {answer.Body}");
    }

    /// <summary>
    /// <c>POST /api/requests</c>: the hotline's intake; with <paramref name="idempotencyKey"/>, a retry with the same key
    /// makes no second request. A 201's body is an <see cref="IntakeResponse"/>.
    /// </summary>
    public Task<OutreachAnswer> PostRequestAsync(NewRequestBody body, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "/api/requests", JsonBody(body),
            idempotencyKey is null ? null : [new("Idempotency-Key", idempotencyKey)], cancellationToken);

    /// <summary><c>POST /api/requests/{id}/claim</c>: 200 with the request for the one who got it, 409 for the others.</summary>
    public Task<OutreachAnswer> ClaimAsync(Guid requestId, CancellationToken cancellationToken = default) =>
        PostAsync($"/api/requests/{requestId}/claim", null, cancellationToken);

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter is { } h ? h.Delta ?? (h.Date is { } d ? d - DateTimeOffset.UtcNow : TimeSpan.Zero) : null;

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
