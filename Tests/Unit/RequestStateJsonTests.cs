using System.Text.Json;
using Outreach.Model;
using Outreach.Grains.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

/// <summary>
/// A request's state lives in its row as JSON, and rows outlive the code that wrote them: the offers' format must read
/// back whatever shape the records have in memory (session 27 made an offer a value instead of an object).
/// </summary>
[Category(TestCategory.Unit)]
public sealed class RequestStateJsonTests
{
    private static readonly Guid Li = Guid.Parse("6f1c2d3e-0000-4000-8000-000000000001");
    private static readonly Guid Wang = Guid.Parse("6f1c2d3e-0000-4000-8000-000000000002");
    private static readonly DateTimeOffset At = new(2026, 12, 3, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ARowWrittenBeforeOffersWereValues_ReadsBackEveryOffer()
    {
        // As the rows of sessions up to 26 hold it (offers as objects of the same three properties).
        var json = $$"""
            {"Status":"Offered","Version":4,"Offers":{
              "{{Li}}":{"EtaMinutes":4.5,"DistanceM":820,"At":"2026-12-03T07:00:00+00:00" },
              "{{Wang}}":{"EtaMinutes":11.25,"DistanceM":2400,"At":"2026-12-03T07:00:00+00:00" } } }
            """;

        var state = RequestStore.FromJson(json);

        Assert.NotNull(state);
        Assert.Equal(RequestStatus.Offered, state.Status);
        Assert.Equal(new OfferRecord(4.5, 820, At), state.Offers[Li]);
        Assert.Equal(new OfferRecord(11.25, 2400, At), state.Offers[Wang]);
    }

    [Fact]
    public void AnOffer_IsStoredAsTheSameThreeProperties_AndReadsBackEqual()
    {
        var state = new HelpRequestState { Status = RequestStatus.Offered, Version = 4 };
        state.Offers[Li] = new OfferRecord(4.5, 820, At);

        var json = RequestStore.ToJson(state);

        using var document = JsonDocument.Parse(json);
        var offer = document.RootElement.GetProperty("Offers").GetProperty(Li.ToString());
        Assert.Equal(["EtaMinutes", "DistanceM", "At"], offer.EnumerateObject().Select(p => p.Name));
        Assert.Equal(4.5, offer.GetProperty("EtaMinutes").GetDouble());
        Assert.Equal(At, offer.GetProperty("At").GetDateTimeOffset());
        Assert.Equal(state.Offers, RequestStore.FromJson(System.Text.Encoding.UTF8.GetString(json))!.Offers);
    }
}
