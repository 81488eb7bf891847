using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Contracts;

namespace Outreach.Bench;

/// <summary>A volunteer logged in over HTTP (cookie) and holding a real SignalR connection to <c>/hubs/live</c>.</summary>
public sealed class LiveVolunteer : IAsyncDisposable
{
    private readonly SocketsHttpHandler _handler;
    private HubConnection? _hub;

    private LiveVolunteer(int index, BenchVolunteer volunteer, Uri web)
    {
        Index = index;
        Volunteer = volunteer;
        _handler = new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false };
        Http = new HttpClient(_handler) { BaseAddress = web, Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Index { get; }
    public BenchVolunteer Volunteer { get; }
    public CookieContainer Cookies { get; } = new();
    public HttpClient Http { get; }

    /// <summary>Logs in as <paramref name="login"/> and connects to the hub; every <c>offer</c> goes to <paramref name="offers"/>.</summary>
    public static async Task<LiveVolunteer> ConnectAsync(int index, BenchVolunteer volunteer, string login, Uri web, OfferLog offers)
    {
        var live = new LiveVolunteer(index, volunteer, web);
        using (var response = await live.Http.PostAsJsonAsync("/api/auth/login", new LoginRequest(login, Population.Password), ContractJson.Options))
        {
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"login as {login}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        live._hub = new HubConnectionBuilder()
            .WithUrl(new Uri(web, "/hubs/live"), o => o.Cookies = live.Cookies)
            .Build();
        live._hub.On<JsonElement>("offer", payload =>
        {
            var at = Stopwatch.GetTimestamp();
            offers.Add(payload.GetProperty("requestId").GetGuid(), index, at);
        });
        await live._hub.StartAsync();
        return live;
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
            await _hub.DisposeAsync();
        Http.Dispose();
        _handler.Dispose();
    }
}
