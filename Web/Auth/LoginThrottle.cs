using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Outreach.Web.Auth;

/// <summary>How many wrong passwords a login name may take (configuration section <c>Outreach:Login</c>).</summary>
public sealed class LoginThrottleOptions
{
    public const string Section = "Outreach:Login";

    /// <summary>Failed logins allowed for one login name per window; after that it is refused until the window ends.</summary>
    [Range(1, 1000)]
    public int FailuresAllowed { get; set; } = 5;

    /// <summary>The window, counted from the first failure.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Slows password guessing: each login name (case-insensitive) may fail <see cref="LoginThrottleOptions.FailuresAllowed"/>
/// times in a <see cref="LoginThrottleOptions.Window"/> from its first failure; after that every attempt for it, right
/// password or not, is refused until the window ends. Only failures count, so many people logging in from one
/// address (a hotline office behind one NAT) are never slowed. Counted per web node, in memory, for at most
/// <see cref="Tracked"/> names at once (a flood of made-up names cannot exhaust memory; beyond it, names go uncounted).
/// </summary>
public sealed class LoginThrottle(IOptions<LoginThrottleOptions> options) : IDisposable
{
    /// <summary>How many login names are counted at once.</summary>
    public const int Tracked = 100_000;

    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = Tracked });

    /// <summary>How long <paramref name="login"/> must wait before trying again, or null if it may try now.</summary>
    public TimeSpan? RetryAfter(string login)
    {
        if (!_failures.TryGetValue(Key(login), out Failures? failures) || failures!.Count < options.Value.FailuresAllowed)
            return null;
        var left = failures.Until - DateTimeOffset.UtcNow;
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Counts a failed attempt for <paramref name="login"/>.</summary>
    public void Failed(string login)
    {
        var failures = _failures.GetOrCreate(Key(login), entry =>
        {
            var until = DateTimeOffset.UtcNow + options.Value.Window;
            entry.AbsoluteExpiration = until;
            entry.Size = 1;
            return new Failures(until);
        });
        failures!.Add();
    }

    public void Dispose() => _failures.Dispose();

    private static string Key(string login) => login.Trim().ToUpperInvariant();

    private sealed class Failures(DateTimeOffset until)
    {
        private int _count;

        public DateTimeOffset Until { get; } = until;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }
}
