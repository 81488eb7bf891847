using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Sms;
using Outreach.Volunteers;
using Outreach.Cluster;

namespace Outreach.Grains.Sms;

/// <summary>
/// A volunteer's reply to an SMS offer: the code must be an open code of the sender's number (<see cref="ReplyCodes"/>);
/// taking it marks it used, then the claim goes to the request grain exactly as a tap would
/// (<see cref="IHelpRequestGrain.ClaimAsync"/> as that volunteer) and the volunteer is answered by SMS. If the claim
/// cannot even be tried (cluster or store down) the code is opened again and the error goes back to the web node (503),
/// so the provider delivers the message again. A message the provider delivers again after it was handled (its batch
/// failed later on) is known by its id and left alone; one whose handling did not finish is taken up again once its
/// lease lapses (<see cref="ReplyCodes.BeginDeliveryAsync"/>), and takes its own code again.
/// </summary>
[StatelessWorker]
public sealed class SmsInboxGrain(
    ReplyCodes codes,
    ISmsGateway gateway,
    PhoneIndexKeys phoneKeys,
    IOptions<SmsOptions> options,
    TimeProvider clock,
    ILogger<SmsInboxGrain> log) : Grain, ISmsInboxGrain
{
    public async Task<InboundOutcome> ReceiveAsync(InboundSms message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ProviderId is not { } providerId)
            return await HandleAsync(message);
        switch (await codes.BeginDeliveryAsync(providerId, clock.GetUtcNow(), options.Value.InboundLease, CancellationToken.None))
        {
            case DeliveryTurn.Handled:
                log.LogInformation("A reply delivered again was handled before: nothing done");
                return InboundOutcome.Duplicate;
            case DeliveryTurn.Underway:
                log.LogInformation("A reply delivered again is being handled by an earlier delivery: try again later");
                return InboundOutcome.Underway;
        }
        InboundOutcome outcome;
        try
        {
            outcome = await HandleAsync(message);
        }
        catch
        {
            await LetGoAsync(providerId);
            throw;
        }
        // If this mark fails the caller hears 503 and the provider delivers the message again: it is handled anew once
        // its lease lapses, and takes its own code again (the claim is decided once).
        await codes.FinishDeliveryAsync(providerId, clock.GetUtcNow(), CancellationToken.None);
        return outcome;
    }

    /// <summary>Lets go of a message whose handling failed; if even that fails, its lease lapses instead.</summary>
    private async Task LetGoAsync(string providerId)
    {
        try
        {
            await codes.LetGoDeliveryAsync(providerId, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning("A reply whose handling failed is taken up again after its lease ({Reason})", e.GetType().Name);
        }
    }

    private async Task<InboundOutcome> HandleAsync(InboundSms message)
    {
        var code = SmsTexts.ReplyCodeIn(message.Text, ReplyCodes.Length);
        var phoneKey = phoneKeys.For(message.Phone);
        var taken = code is null ? null : await codes.TakeAsync(phoneKey, code, clock.GetUtcNow(), CancellationToken.None, message.ProviderId);
        if (taken is null)
        {
            if (await MayAnswerInvalidAsync(phoneKey))
            {
                log.LogInformation("A reply from {Phone} matched no open code", SmsTexts.Mask(message.Phone));
                await AnswerAsync(message.Phone, SmsKind.ReplyInvalid);
            }
            else
            {
                log.LogInformation("A reply from {Phone} matched no open code: not answered (its invalid-code answers of the window are spent)",
                    SmsTexts.Mask(message.Phone));
            }
            return InboundOutcome.Invalid;
        }

        DispatchResult result;
        try
        {
            var volunteer = await GrainFactory.Get<IVolunteerGrain>(taken.VolunteerId).GetAsync();
            var name = volunteer?.Profile.Name ?? "";
            result = await GrainFactory.Get<IHelpRequestGrain>(taken.RequestId)
                .ClaimAsync(new Actor(Guid.Empty, $"{name}（短信）", taken.VolunteerId));
        }
        catch
        {
            try
            {
                await codes.ReleaseAsync(taken.Id, CancellationToken.None);
            }
            catch (Exception e)
            {
                // The message's redelivery takes its own code again; another message with the code waits for its expiry.
                log.LogWarning("A reply code whose claim failed was not opened again ({Reason})", e.GetType().Name);
            }
            throw;
        }
        var outcome = result.Succeeded ? InboundOutcome.Claimed : InboundOutcome.Taken;
        log.LogInformation("Request {RequestId}: SMS claim by volunteer {VolunteerId}: {Outcome}", taken.RequestId, taken.VolunteerId, result.Outcome);
        await AnswerAsync(message.Phone, outcome == InboundOutcome.Claimed ? SmsKind.ReplyClaimed : SmsKind.ReplyTaken);
        return outcome;
    }

    /// <summary>
    /// Whether the number's "not valid" answers of the window are not spent yet. The budget only saves texts: if it
    /// cannot be asked (its silo going away, say) the sender is answered, and the message is never failed for it.
    /// </summary>
    private async Task<bool> MayAnswerInvalidAsync(string phoneKey)
    {
        try
        {
            return await GrainFactory.GetGrain<ISmsAnswerBudgetGrain>(phoneKey).TakeInvalidAnswerAsync();
        }
        catch (Exception e)
        {
            log.LogWarning("The invalid-code answers of a number were not counted ({Reason}); answering", e.GetType().Name);
            return true;
        }
    }

    /// <summary>Answers the sender; a failed answer is logged, never undoes what was done.</summary>
    private async Task AnswerAsync(string phone, SmsKind kind)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (kind == SmsKind.ReplyClaimed)
            parameters["hotline"] = options.Value.Hotline;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await gateway.SendAsync(phone, new SmsMessage(kind, parameters), timeout.Token);
        }
        catch (Exception e)
        {
            log.LogWarning("The {Kind} answer to {Phone} was not sent ({Reason})", kind, SmsTexts.Mask(phone), e.GetType().Name);
        }
    }
}
