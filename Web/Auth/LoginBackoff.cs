using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Outreach.Accounts;

namespace Outreach.Web.Auth;

/// <summary>How wrong passwords slow a login name down (configuration section <c>Outreach:Login</c>).</summary>
public sealed class LoginBackoffOptions
{
    public const string Section = "Outreach:Login";

    /// <summary>Wrong passwords a login name may take before each further one makes it wait.</summary>
    [Range(0, 1000)]
    public int FreeFailures { get; set; } = 3;

    /// <summary>The wait after the first failure beyond the free ones; each further failure doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait, however many failures.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures are forgotten this long after the last one (and at a successful login).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Slows password guessing per login name, with a growing delay instead of a lock: after
/// <see cref="LoginBackoffOptions.FreeFailures"/> wrong passwords, each further one makes the name wait
/// <see cref="LoginBackoffOptions.FirstDelay"/>, doubled per failure up to <see cref="LoginBackoffOptions.MaxDelay"/>,
/// before the next attempt is even checked (429 with <c>Retry-After</c> meanwhile, not counted). A stranger guessing
/// an operator's name therefore costs the operator at most one <see cref="LoginBackoffOptions.MaxDelay"/>, never a
/// 15-minute lock, and the right password clears the count. Names are keyed as accounts are
/// (<see cref="AccountKeys.Normalize"/>). Per web node, in memory, for at most <see cref="Tracked"/> names (a flood of
/// made-up names cannot exhaust memory; the per-address rate limit bounds such a flood anyway).
/// </summary>
/// <remarks>
/// Not an ASP.NET Core rate-limiter policy: the login name is in the JSON body, which the rate-limiting middleware
/// cannot read, and the delay grows with failures, which only the endpoint knows. The per-address limit on the same
/// route is the built-in limiter (<see cref="RateLimits"/>).
/// </remarks>
public sealed class LoginBackoff(IOptions<LoginBackoffOptions> options, TimeProvider clock) : IDisposable
{
    /// <summary>How many login names are counted at once.</summary>
    public const int Tracked = 100_000;

    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = Tracked });

    /// <summary>How long <paramref name="login"/> must wait before its next attempt is checked, or null if it may try now.</summary>
    public TimeSpan? RetryAfter(string login)
    {
        if (!_failures.TryGetValue(AccountKeys.Normalize(login), out Failures? failures))
            return null;
        var left = failures!.WaitUntil - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Counts a wrong password for <paramref name="login"/>; returns the wait it starts (zero while failures are free).</summary>
    public TimeSpan Failed(string login)
    {
        var o = options.Value;
        var key = AccountKeys.Normalize(login);
        var failures = _failures.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = o.ForgetAfter;
            return new Failures();
        })!;
        return failures.Add(clock.GetUtcNow(), o);
    }

    /// <summary>The right password: the name's failures are forgotten.</summary>
    public void Succeeded(string login) => _failures.Remove(AccountKeys.Normalize(login));

    public void Dispose() => _failures.Dispose();

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (the growing-delay rule).</summary>
    public static TimeSpan DelayAfter(int failures, LoginBackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var beyond = failures - options.FreeFailures;
        if (beyond <= 0)
            return TimeSpan.Zero;
        var factor = Math.Pow(2, Math.Min(beyond - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(options.FirstDelay.Ticks * factor, options.MaxDelay.Ticks));
        return delay;
    }

    private sealed class Failures
    {
        private readonly Lock _gate = new();
        private int _count;

        public DateTimeOffset WaitUntil { get; private set; } = DateTimeOffset.MinValue;

        public TimeSpan Add(DateTimeOffset now, LoginBackoffOptions options)
        {
            lock (_gate)
            {
                _count++;
                var delay = DelayAfter(_count, options);
                WaitUntil = now + delay;
                return delay;
            }
        }
    }
}
