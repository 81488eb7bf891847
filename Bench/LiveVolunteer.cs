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
            var requestId = payload.GetProperty("requestId").GetGuid();
            offers.Add(requestId, index, at);
            live.Acknowledge(requestId);
        });
        await live._hub.StartAsync();
        return live;
    }

    /// <summary>
    /// "This page showed the offer", on the connection, as the volunteer page does for every offer it gets (its answer
    /// is not waited for: the page does not wait either).
    /// </summary>
    private void Acknowledge(Guid requestId) =>
        _ = _hub!.InvokeAsync<JsonElement>("Seen", requestId, "socket").ContinueWith(t => _ = t.Exception, TaskScheduler.Default);

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
