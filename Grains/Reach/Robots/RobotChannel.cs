using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Outreach.Grains.Stations;
using Outreach.Reach;
using Outreach.Stations;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Outreach.Grains.Reach.Robots;

/// <summary>
/// Posts a request's news to the group robots of its station (WeCom, DingTalk), all at once, each retried with
/// back-off on failures a retry can cure (<see cref="RobotAnswer"/>, <see cref="RobotOptions"/>). One result per
/// robot: accepted with the kind as detail, or failed with the kind and what came back (<c>wecom: HTTP 500</c>,
/// <c>dingtalk: errcode 310000</c>, <c>wecom: timeout</c>). The webhook's address, key, token and secret are never
/// logged or recorded. Runs in the silo; the reach grain calls it off the dispatch path.
/// </summary>
public sealed class RobotChannel : IRobotChannel
{
    /// <summary>The name of the HTTP client (no redirects, no logging of addresses; see <c>AddOutreachReach</c>).</summary>
    public const string HttpClientName = "outreach-robots";

    private readonly IGrainFactory _grains;
    private readonly IHttpClientFactory _http;
    private readonly ReachOptions _reach;
    private readonly RobotOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<RobotChannel> _log;
    private readonly ResiliencePipeline<RobotAnswer> _pipeline;

    public RobotChannel(IGrainFactory grains, IHttpClientFactory http, IOptions<ReachOptions> reach, IOptions<RobotOptions> options,
        TimeProvider clock, ILogger<RobotChannel> log)
    {
        _grains = grains;
        _http = http;
        _reach = reach.Value;
        _options = options.Value;
        _clock = clock;
        _log = log;
        var pipeline = new ResiliencePipelineBuilder<RobotAnswer> { TimeProvider = clock };
        if (_options.Attempts > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions<RobotAnswer>
            {
                ShouldHandle = new PredicateBuilder<RobotAnswer>()
                    .HandleResult(answer => answer.Retryable)
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = _options.Attempts - 1,
                Delay = _options.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                MaxDelay = TimeSpan.FromSeconds(15),
            });
        }
        _pipeline = pipeline.AddTimeout(_options.AttemptTimeout).Build();
    }

    public async Task<DeliveryResult[]> PostAsync(Guid stationId, RobotNews news, CancellationToken cancellationToken)
    {
        if (await _grains.GetGrain<IStationRobotsGrain>(stationId).GetRobotsAsync() is not { Robots.Length: > 0 } station)
            return [];
        var message = RobotMessage.For(news, station.StationName, _reach.PublicUrl);
        var results = await Task.WhenAll(station.Robots.Select(robot => PostAsync(stationId, robot, message, cancellationToken)));
        return results;
    }

    private async Task<DeliveryResult> PostAsync(Guid stationId, RobotSetting robot, RobotMessage message, CancellationToken cancellationToken)
    {
        var kind = RobotKinds.Word(robot.Kind);
        string detail;
        if (RobotRules.UrlProblem(robot.Kind, robot.Url, _options) is not null)
        {
            // Saved under another Robots:AllowedHosts than this silo's: never called.
            detail = "address not allowed";
        }
        else
        {
            try
            {
                var answer = await _pipeline.ExecuteAsync(async (ct) => await AttemptAsync(robot, message, ct), cancellationToken);
                if (answer.Accepted)
                {
                    _log.LogDebug("Station {StationId}: the {Kind} robot took the message", stationId, kind);
                    return new DeliveryResult(DeliveryOutcomes.Accepted, kind);
                }
                detail = answer.Detail;
            }
            catch (TimeoutRejectedException)
            {
                detail = "timeout";
            }
            catch (HttpRequestException e)
            {
                // The error's kind only: its message may name the host.
                detail = e.HttpRequestError == HttpRequestError.Unknown ? "unreachable" : $"unreachable ({e.HttpRequestError})";
            }
        }
        _log.LogWarning("Station {StationId}: the {Kind} robot did not take the message ({Detail})", stationId, kind, detail);
        return new DeliveryResult(DeliveryOutcomes.Failed, $"{kind}: {detail}");
    }

    private async ValueTask<RobotAnswer> AttemptAsync(RobotSetting robot, RobotMessage message, CancellationToken cancellationToken)
    {
        var url = robot.Kind == RobotKind.DingTalk && !string.IsNullOrEmpty(robot.Secret)
            ? robot.Url + DingTalkSignature.Query(robot.Secret, _clock.GetUtcNow()) // signed anew for each attempt
            : robot.Url;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url))
        {
            Content = new StringContent(message.Body(robot.Kind).ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        using var response = await _http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return RobotAnswer.Read(response.StatusCode, body);
    }
}
