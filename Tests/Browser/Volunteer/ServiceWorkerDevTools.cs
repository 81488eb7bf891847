using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace Outreach.Tests.Browser.Volunteer;

/// <summary>
/// The volunteer page's service worker through the Chrome DevTools Protocol: deliver a push message to it
/// (<c>ServiceWorker.deliverPushMessage</c>, as DevTools' "Push" button does: no push service involved) and run a script
/// in its own global scope (<c>Target.attachToTarget</c> on the worker, then <c>Runtime.evaluate</c> through
/// <c>Target.sendMessageToTarget</c>; Playwright for .NET has no handle on service workers).
/// </summary>
public sealed class ServiceWorkerDevTools : IAsyncDisposable
{
    private readonly ICDPSession _page;
    private readonly ICDPSession _browser;
    private readonly ConcurrentDictionary<string, string> _registrations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _replies = new();
    private readonly Uri _origin;
    private int _nextId;

    private ServiceWorkerDevTools(ICDPSession page, ICDPSession browser, Uri origin)
    {
        _page = page;
        _browser = browser;
        _origin = origin;
        _page.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, e) =>
        {
            if (e is not { } payload)
                return;
            foreach (var registration in payload.GetProperty("registrations").EnumerateArray())
                _registrations[registration.GetProperty("scopeURL").GetString()!] = registration.GetProperty("registrationId").GetString()!;
        };
        _browser.Event("Target.receivedMessageFromTarget").OnEvent += (_, e) =>
        {
            if (e is not { } payload)
                return;
            using var message = JsonDocument.Parse(payload.GetProperty("message").GetString()!);
            if (message.RootElement.TryGetProperty("id", out var id) && _replies.TryRemove(id.GetInt32(), out var reply))
                reply.TrySetResult(message.RootElement.Clone());
        };
    }

    /// <summary>Watches the service worker registrations of <paramref name="page"/>'s origin.</summary>
    public static async Task<ServiceWorkerDevTools> OpenAsync(IBrowser browser, IPage page, Uri origin)
    {
        var tools = new ServiceWorkerDevTools(await page.Context.NewCDPSessionAsync(page), await browser.NewBrowserCDPSessionAsync(), origin);
        await tools._page.SendAsync("ServiceWorker.enable");
        return tools;
    }

    /// <summary>The registration id of the worker whose scope is the site's root (waits ≤ 10 s for DevTools to report it).</summary>
    public async Task<string> RegistrationIdAsync()
    {
        var scope = new Uri(_origin, "/").ToString();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!_registrations.ContainsKey(scope))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"DevTools reported no service worker registration for {scope}; it knows [{string.Join(", ", _registrations.Keys)}]");
            await Task.Delay(100);
        }
        return _registrations[scope];
    }

    /// <summary>Delivers <paramref name="data"/> to the worker as a push message.</summary>
    public async Task DeliverPushAsync(string data) =>
        await _page.SendAsync("ServiceWorker.deliverPushMessage", new Dictionary<string, object>
        {
            ["origin"] = _origin.GetLeftPart(UriPartial.Authority),
            ["registrationId"] = await RegistrationIdAsync(),
            ["data"] = data,
        });

    /// <summary>Runs <paramref name="expression"/> (a promise is awaited) in the worker's global scope; answers its JSON value.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var targets = await _browser.SendAsync("Target.getTargets");
        var worker = targets!.Value.GetProperty("targetInfos").EnumerateArray()
            .FirstOrDefault(t => t.GetProperty("type").GetString() == "service_worker"
                && t.GetProperty("url").GetString()!.StartsWith(new Uri(_origin, "/sw.js").ToString(), StringComparison.Ordinal));
        Assert.True(worker.ValueKind == JsonValueKind.Object, "the service worker is running");
        var attached = await _browser.SendAsync("Target.attachToTarget", new Dictionary<string, object>
        {
            ["targetId"] = worker.GetProperty("targetId").GetString()!,
            ["flatten"] = false,
        });
        var sessionId = attached!.Value.GetProperty("sessionId").GetString()!;
        try
        {
            var id = Interlocked.Increment(ref _nextId);
            var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            _replies[id] = reply;
            var message = JsonSerializer.Serialize(new
            {
                id,
                method = "Runtime.evaluate",
                @params = new { expression, awaitPromise = true, returnByValue = true },
            });
            await _browser.SendAsync("Target.sendMessageToTarget", new Dictionary<string, object> { ["sessionId"] = sessionId, ["message"] = message });
            var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(20));
            var result = answer.GetProperty("result");
            Assert.False(result.TryGetProperty("exceptionDetails", out var error), $"the worker threw: {error}");
            return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
        }
        finally
        {
            await _browser.SendAsync("Target.detachFromTarget", new Dictionary<string, object> { ["sessionId"] = sessionId });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _page.DetachAsync();
        await _browser.DetachAsync();
    }
}
