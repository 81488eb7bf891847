using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Outreach.Contracts;

namespace Outreach.Bench;

/// <summary>A volunteer logged in over HTTP (cookie) and holding a real SignalR connection to <c>/hubs/live</c>.</summary>
public sealed class LiveVolunteer : IAsyncDisposable
{
    private HubConnection? _hub;

    private LiveVolunteer(int index, BenchVolunteer volunteer, Uri web)
    {
        Index = index;
        Volunteer = volunteer;
        Client = new OutreachClient(web, new OutreachClientOptions { Timeout = TimeSpan.FromSeconds(60) });
    }

    public int Index { get; }
    public BenchVolunteer Volunteer { get; }
    public OutreachClient Client { get; }

    /// <summary>Logs in as <paramref name="login"/> and connects to the hub; every <c>offer</c> goes to <paramref name="offers"/>.</summary>
    public static async Task<LiveVolunteer> ConnectAsync(int index, BenchVolunteer volunteer, string login, Uri web, OfferLog offers)
    {
        var live = new LiveVolunteer(index, volunteer, web);
        await live.Client.LoginOrThrowAsync(login, Population.Password);
        live._hub = new HubConnectionBuilder()
            .WithUrl(new Uri(web, "/hubs/live"), o => o.Cookies = live.Client.Cookies)
            .Build();
        live._hub.On<JsonElement>(LiveEvents.Offer, payload =>
        {
            var at = Stopwatch.GetTimestamp();
            offers.Add(payload.GetProperty("requestId").GetGuid(), index, at);
        });
        await live._hub.StartAsync();
        return live;
    }

    /// <summary>Claims on the live connection, as the volunteer page does when it is up: the API's status (LiveReply).</summary>
    public async Task<System.Net.HttpStatusCode> ClaimAsync(Guid requestId)
    {
        var reply = await _hub!.InvokeAsync<JsonElement>("Claim", requestId);
        return (System.Net.HttpStatusCode)reply.GetProperty("status").GetInt32();
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
            await _hub.DisposeAsync();
        Client.Dispose();
    }
}
