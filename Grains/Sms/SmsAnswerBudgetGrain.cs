using Microsoft.Extensions.Options;
using Outreach.Sms;

namespace Outreach.Grains.Sms;

/// <summary>
/// One number's invalid-code answers within the last <see cref="SmsOptions.InvalidAnswerWindow"/>, in memory: at most
/// <see cref="SmsOptions.InvalidAnswers"/>. The activation is kept as long as the window (a collected one would forget
/// its count); a silo's restart forgets it, which only lets a few more answers through.
/// </summary>
public sealed class SmsAnswerBudgetGrain(IOptions<SmsOptions> options, TimeProvider clock) : Grain, ISmsAnswerBudgetGrain
{
    private readonly Queue<DateTimeOffset> _answered = new();

    public Task<bool> TakeInvalidAnswerAsync()
    {
        var (limit, window) = (options.Value.InvalidAnswers, options.Value.InvalidAnswerWindow);
        var now = clock.GetUtcNow();
        while (_answered.TryPeek(out var at) && now - at >= window)
            _answered.Dequeue();
        DelayDeactivation(window);
        if (_answered.Count >= limit)
            return Task.FromResult(false);
        _answered.Enqueue(now);
        return Task.FromResult(true);
    }
}
