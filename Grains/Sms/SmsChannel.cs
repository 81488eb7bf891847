using Microsoft.Extensions.Options;
using Outreach.Dispatch;
using Outreach.Files;
using Outreach.Grains.Reach;
using Outreach.Reach;
using Outreach.Volunteers;
using Outreach.Cluster;

namespace Outreach.Grains.Sms;

/// <summary>
/// Text messages for the reach grain: the family (the request's caller phone) hears of the claim, the arrival and the
/// completion, each message with a status link of its own; a volunteer who opted in (<see cref="VolunteerProfile.SmsOffers"/>)
/// gets an offer no device of theirs acknowledged, with a reply code (<see cref="SmsInboxGrain"/> takes the reply).
/// The link and the code are stored before the message is sent. Nothing personal goes into a message but the
/// volunteer's surname to the family.
/// </summary>
public sealed class SmsChannel(
    ISmsGateway gateway,
    StatusLinks links,
    ReplyCodes codes,
    IGrainFactory grains,
    PhoneIndexKeys phoneKeys,
    IOptions<SmsOptions> sms,
    IOptions<ReachOptions> reach,
    TimeProvider clock) : ISmsChannel
{
    public async Task<DeliveryResult[]> TellFamilyAsync(string familyEvent, HelpRequestView request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.CallerPhone) || KindOf(familyEvent) is not { } kind)
            return [];
        var token = await links.CreateAsync(request.Id, cancellationToken);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["link"] = $"{reach.Value.PublicUrl.TrimEnd('/')}/s/{token}",
        };
        if (kind is SmsKind.FamilyClaimed or SmsKind.FamilyOnSite)
            parameters["surname"] = SmsTexts.SurnameOf(request.AssignedVolunteerName);
        if (kind is SmsKind.FamilyClaimed)
            parameters["eta"] = SmsTexts.Minutes(request.AssignedEtaMinutes);
        if (kind is SmsKind.FamilyCompleted)
            parameters["hotline"] = sms.Value.Hotline;
        var result = await gateway.SendAsync(request.CallerPhone, new SmsMessage(kind, parameters), cancellationToken);
        return [new DeliveryResult(result.Outcome, result.Code)];
    }

    public async Task<DeliveryResult[]> OfferAsync(Guid volunteerId, OfferView offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var volunteer = await grains.Get<IVolunteerGrain>(volunteerId).GetAsync();
        if (volunteer is not { Profile: { SmsOffers: true, Active: true } profile } || string.IsNullOrWhiteSpace(profile.Phone))
            return [];
        var now = clock.GetUtcNow();
        var code = await codes.CreateAsync(phoneKeys.For(profile.Phone), offer.RequestId, volunteerId, now, now + sms.Value.CodeLifetime, cancellationToken);
        var message = new SmsMessage(SmsKind.VolunteerOffer, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["urgency"] = SmsTexts.UrgencyWord(offer.Urgency),
            ["category"] = SmsTexts.CategoryWord(offer.Category),
            ["eta"] = SmsTexts.Minutes(offer.EtaMinutes),
            ["code"] = code,
        });
        var result = await gateway.SendAsync(profile.Phone, message, cancellationToken);
        return [new DeliveryResult(result.Outcome, result.Code, volunteerId)];
    }

    private static SmsKind? KindOf(string familyEvent) => familyEvent switch
    {
        ReachEvents.Claimed => SmsKind.FamilyClaimed,
        ReachEvents.OnSite => SmsKind.FamilyOnSite,
        ReachEvents.Completed => SmsKind.FamilyCompleted,
        _ => null,
    };
}
