using System.Net;
using System.Text.Json.Nodes;
using Outreach.Contracts;
using Outreach.Model;

namespace Outreach.Simulator;

/// <summary>
/// A demo volunteer played by the simulator: on duty, wandering a little, claiming offers now and then, and
/// carrying what they claimed (or were assigned) through en route, on site and completed.
/// </summary>
internal sealed class SimulatedVolunteer(Guid id, string name, string travelMode, OutreachClient api, Spot start)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    /// <summary>How much faster than life the volunteers move, so a demo does not wait for a real walk.</summary>
    private const double Speedup = 4;

    private Spot _position = start;
    private Guid? _task;
    private Spot _target;
    private string _status = "";
    private DateTimeOffset _since;

    public Guid Id => id;

    public string Name => name;

    public OutreachClient Api => api;

    public async Task RunAsync(CancellationToken stop)
    {
        await api.PostAsync("/api/volunteers/me/duty", new DutyRequest(OnDuty: true), stop);
        for (var tick = 0; !stop.IsCancellationRequested; tick++)
        {
            try
            {
                await Task.Delay(Tick + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 500)), stop);
                if (_task is null)
                    await IdleAsync(tick, stop);
                else
                    await WorkAsync(stop);
                await api.PostAsync("/api/volunteers/me/position", new PositionReport(_position.Lat, _position.Lon, AccuracyM: 15), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (HttpRequestException error)
            {
                Log.Write($"{name}: {error.Message}");
            }
        }
    }

    private async Task IdleAsync(int tick, CancellationToken stop)
    {
        _position = _position.Offset(Random.Shared.Next(-25, 26), Random.Shared.Next(-25, 26));
        if (tick % 5 == 0)
        {
            var assignments = (await api.GetAsync("/api/volunteers/me/assignments", stop)).Json();
            if (assignments is JsonArray { Count: > 0 } list && list[0] is { } assigned)
            {
                Take(assigned);
                return;
            }
        }
        if (tick % 2 != 0 || Random.Shared.NextDouble() > 0.5)
            return;
        var offers = (await api.GetAsync("/api/volunteers/me/offers", stop)).Json();
        if (offers is not JsonArray { Count: > 0 } open || open[Random.Shared.Next(open.Count)]?["requestId"]?.GetValue<Guid>() is not { } requestId)
            return;
        var claim = await api.ClaimAsync(requestId, stop);
        if (claim.Status == HttpStatusCode.OK && claim.Json() is { } request)
        {
            Log.Write($"{name} claimed {requestId}");
            Take(request);
        }
    }

    private void Take(JsonNode request)
    {
        _task = request["id"]!.GetValue<Guid>();
        _target = new Spot(request["position"]!["lat"]!.GetValue<double>(), request["position"]!["lon"]!.GetValue<double>());
        _status = request["status"]!.GetValue<string>();
        _since = DateTimeOffset.UtcNow;
    }

    private async Task WorkAsync(CancellationToken stop)
    {
        var waited = DateTimeOffset.UtcNow - _since;
        switch (_status)
        {
            case "Claimed" when waited > TimeSpan.FromSeconds(4):
                await AdvanceAsync(RequestStatus.EnRoute, stop);
                break;
            case "EnRoute":
                _position = _position.Towards(_target, MetresPerSecond() * Tick.TotalSeconds * Speedup);
                if (_position.DistanceTo(_target) < 30)
                    await AdvanceAsync(RequestStatus.OnSite, stop);
                break;
            case "OnSite" when waited > TimeSpan.FromSeconds(15):
                await AdvanceAsync(RequestStatus.Completed, stop);
                break;
        }
    }

    private async Task AdvanceAsync(RequestStatus next, CancellationToken stop)
    {
        var status = (await api.PostAsync($"/api/requests/{_task}/status", new StatusBody(next), stop)).Status;
        if (status != HttpStatusCode.OK || next == RequestStatus.Completed)
        {
            // Done, cancelled or taken away (released, reassigned): free again.
            if (next == RequestStatus.Completed)
                Log.Write($"{name} completed {_task}");
            _task = null;
            return;
        }
        _status = next.ToString();
        _since = DateTimeOffset.UtcNow;
    }

    private double MetresPerSecond() => travelMode switch
    {
        "Walk" => 1.4,
        "Bike" => 4,
        "EBike" => 6,
        _ => 8,
    };
}
