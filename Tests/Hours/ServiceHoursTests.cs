using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CsvHelper;
using MiniExcelLibs;
using Npgsql;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Dispatch;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Hours;

/// <summary>Service hours end to end: records written with each completion, totals, corrections, export, who may see what.</summary>
[Category(TestCategory.System)]
[Collection(SystemCollection.Name)]
public sealed class ServiceHoursTests(SystemFixture fixture)
{
    private WebNode Web => fixture.Web;

    [Fact]
    public async Task Completions_GiveRecords_AndAReopenKeepsTheFirstHelpersTime()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var first = await scene.VolunteerAsync(scene.Offset(100, 0), capacity: 2);
        using var second = await scene.VolunteerAsync(scene.Offset(0, 300));
        var plain = await scene.RequestAsync(op.Client);
        await CompleteAsync(first, plain);
        var reopened = await scene.RequestAsync(op.Client);
        await CompleteAsync(first, reopened);
        Assert.Equal(HttpStatusCode.OK, (await op.Client.PostAsync($"/api/requests/{plain}/followup", new FollowUpBody(true, 5))).Status);
        Assert.Equal(HttpStatusCode.OK, (await op.Client.PostAsync($"/api/requests/{reopened}/followup", new FollowUpBody(false, 2))).Status);
        await CompleteAsync(second, reopened);

        var (firstStatus, mine) = await first.Client.GetAsync("/api/volunteers/me/service-records");
        var (_, theirs) = await second.Client.GetAsync("/api/volunteers/me/service-records");
        var (_, report) = await coordinator.Client.GetAsync($"/api/service-records?volunteerId={first.VolunteerId}");
        var (_, timeline) = await op.Client.GetAsync($"/api/requests/{reopened}/timeline");

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        var firstRecords = mine!["records"]!.AsArray();
        Assert.Equal(2, firstRecords.Count);
        var ofPlain = firstRecords.Single(r => Guid(r, "requestId") == plain)!;
        var ofReopened = firstRecords.Single(r => Guid(r, "requestId") == reopened)!;
        Assert.Equal(first.VolunteerId, Guid(ofReopened, "volunteerId"));
        Assert.Equal(1, ofReopened["seq"]!.GetValue<int>());
        Assert.False(ofReopened["satisfied"]!.GetValue<bool>());
        Assert.True(ofPlain["satisfied"]!.GetValue<bool>());
        Assert.Equal(5, ofPlain["rating"]!.GetValue<int>());
        Assert.Equal("Medicine", ofPlain["category"]!.GetValue<string>());
        var steps = timeline!.AsArray();
        var setOffAt = steps.First(e => e!["to"]!.GetValue<string>() == "EnRoute")!["at"]!.GetValue<DateTimeOffset>();
        var completedAt = steps.First(e => e!["to"]!.GetValue<string>() == "Completed")!["at"]!.GetValue<DateTimeOffset>();
        // PostgreSQL keeps microseconds: the same instants within a microsecond.
        Assert.Equal(setOffAt, ofReopened["startedAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(0.001));
        Assert.Equal(completedAt, ofReopened["completedAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(0.001));

        var secondRecord = theirs!["records"]!.AsArray().Single()!;
        Assert.Equal(reopened, Guid(secondRecord, "requestId"));
        Assert.Equal(2, secondRecord["seq"]!.GetValue<int>());
        Assert.Null(secondRecord["satisfied"]);

        var sum = firstRecords.Sum(r => r!["recordedMinutes"]!.GetValue<double>());
        Assert.Equal(2, mine["allTime"]!["count"]!.GetValue<int>());
        Assert.Equal(sum, mine["allTime"]!["minutes"]!.GetValue<double>(), 0.02);
        Assert.Equal(2, report!["total"]!["count"]!.GetValue<int>());
        Assert.Equal(first.VolunteerId, Guid(report["volunteers"]!.AsArray().Single()!, "volunteerId"));
    }

    [Fact]
    public async Task Correction_CountsInsteadOfTheRecordedTime_IsAudited_AndRefusesBadValues()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(100, 0), capacity: 2);
        var one = await scene.RequestAsync(op.Client);
        await CompleteAsync(volunteer, one);
        var two = await scene.RequestAsync(op.Client);
        await CompleteAsync(volunteer, two);
        var (_, before) = await volunteer.Client.GetAsync("/api/volunteers/me/service-records");
        var records = before!["records"]!.AsArray();
        var target = records.Single(r => Guid(r, "requestId") == one)!;
        var other = records.Single(r => Guid(r, "requestId") == two)!;
        var id = Guid(target, "id");

        var (negative, negativeProblem) = await coordinator.Client.PutAsync($"/api/service-records/{id}", new ServiceCorrectionBody(-1, "打错了"));
        var (tooLong, tooLongProblem) = await coordinator.Client.PutAsync($"/api/service-records/{id}", new ServiceCorrectionBody(600, "打错了"));
        var (noReason, noReasonProblem) = await coordinator.Client.PutAsync($"/api/service-records/{id}", new ServiceCorrectionBody(0, " "));
        var (missing, _) = await coordinator.Client.PutAsync($"/api/service-records/{System.Guid.NewGuid()}", new ServiceCorrectionBody(0, "打错了"));
        var (byVolunteer, _) = await volunteer.Client.PutAsync($"/api/service-records/{id}", new ServiceCorrectionBody(0, "打错了"));
        var (_, unchanged) = await volunteer.Client.GetAsync("/api/volunteers/me/service-records");
        var (corrected, record) = await coordinator.Client.PutAsync($"/api/service-records/{id}", new ServiceCorrectionBody(-0.0, "重复登记")); // -0: nothing, no sign
        var (_, after) = await volunteer.Client.GetAsync("/api/volunteers/me/service-records");
        using var admin = await Web.AdminAsync();
        var (_, audit) = await admin.GetAsync($"/api/audit?subject={id}");

        Assert.Equal(HttpStatusCode.BadRequest, negative);
        Assert.NotNull(negativeProblem!["errors"]!["minutes"]);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.NotNull(tooLongProblem!["errors"]!["minutes"]);
        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        Assert.True(noReasonProblem!["errors"]?["reason"] is not null, noReasonProblem.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(HttpStatusCode.Forbidden, byVolunteer);
        Assert.Equal(before["allTime"]!.ToJsonString(), unchanged!["allTime"]!.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, corrected);
        Assert.Equal(0, record!["minutes"]!.GetValue<double>());
        Assert.Equal("0", record["minutes"]!.ToJsonString());
        Assert.Equal(target["recordedMinutes"]!.GetValue<double>(), record["recordedMinutes"]!.GetValue<double>());
        Assert.Equal("重复登记", record["correction"]!["reason"]!.GetValue<string>());
        Assert.Equal(2, after!["allTime"]!["count"]!.GetValue<int>());
        Assert.Equal(other["recordedMinutes"]!.GetValue<double>(), after["allTime"]!["minutes"]!.GetValue<double>(), 0.011);
        var entry = audit!["items"]!.AsArray().Single(e => e!["action"]!.GetValue<string>() == "service.correct")!;
        Assert.Equal(coordinator.Login, entry["actorLogin"]!.GetValue<string>());
        Assert.Contains("重复登记", entry["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Totals_CountThisMonthThisYearAndAllTime_InChinaStandardTime()
    {
        using var volunteer = await TestUsers.CreateAsync(Web, "volunteer");
        var now = DateTimeOffset.UtcNow;
        var china = now.ToOffset(TimeSpan.FromHours(8));
        var monthStart = new DateTimeOffset(china.Year, china.Month, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var yearStart = new DateTimeOffset(china.Year, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        // Completed: at the month's first minute in China (16:00 UTC the day before), the minute before it, and two years ago.
        var rows = new (DateTimeOffset CompletedAt, double Minutes, double? Corrected)[]
        {
            (monthStart.AddMinutes(1), 30, null),
            (monthStart.AddMinutes(-1), 45, 40),
            (yearStart.AddYears(-2), 90, null),
        };
        await InsertRecordsAsync(volunteer.VolunteerId!.Value, rows);

        var (status, mine) = await volunteer.Client.GetAsync("/api/volunteers/me/service-records");

        Assert.Equal(HttpStatusCode.OK, status);
        var inYear = monthStart.AddMinutes(-1) >= yearStart;
        Assert.Equal(1, mine!["thisMonth"]!["count"]!.GetValue<int>());
        Assert.Equal(30, mine["thisMonth"]!["minutes"]!.GetValue<double>());
        Assert.Equal(0.5, mine["thisMonth"]!["hours"]!.GetValue<double>());
        Assert.Equal(inYear ? 2 : 1, mine["thisYear"]!["count"]!.GetValue<int>());
        Assert.Equal(inYear ? 70 : 30, mine["thisYear"]!["minutes"]!.GetValue<double>());
        Assert.Equal(3, mine["allTime"]!["count"]!.GetValue<int>());
        Assert.Equal(160, mine["allTime"]!["minutes"]!.GetValue<double>());
        Assert.Equal(2.67, mine["allTime"]!["hours"]!.GetValue<double>());
    }

    [Fact]
    public async Task Report_FiltersByPeriodAndStation_AndRefusesBadDates()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var operatorUser = await TestUsers.CreateAsync(Web, "operator");
        using var volunteer = await TestUsers.CreateAsync(Web, "volunteer");
        var station = System.Guid.NewGuid();
        var day = new DateTimeOffset(2025, 3, 10, 0, 0, 0, TimeSpan.FromHours(8));
        await InsertRecordsAsync(volunteer.VolunteerId!.Value, [(day.AddHours(10), 60, null), (day.AddDays(1).AddMinutes(-1), 15, null), (day.AddDays(1), 20, null)], station);

        var (status, report) = await coordinator.Client.GetAsync($"/api/service-records?from=2025-03-10&to=2025-03-10&stationId={station}");
        var (_, other) = await coordinator.Client.GetAsync($"/api/service-records?from=2025-03-10&to=2025-03-10&stationId={System.Guid.NewGuid()}");
        var (badFrom, badFromProblem) = await coordinator.Client.GetAsync("/api/service-records?from=2025-02-30");
        var (badTo, badToProblem) = await coordinator.Client.GetAsync("/api/service-records?from=2025-03-10&to=2025-03-09");
        var (badStation, badStationProblem) = await coordinator.Client.GetAsync("/api/service-records?stationId=nope");
        var (byOperator, _) = await operatorUser.Client.GetAsync("/api/service-records");
        var (byVolunteer, _) = await volunteer.Client.GetAsync($"/api/service-records?volunteerId={volunteer.VolunteerId}");
        var (operatorOwn, _) = await operatorUser.Client.GetAsync("/api/volunteers/me/service-records");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2025-03-10", report!["from"]!.GetValue<string>());
        Assert.Equal(2, report["total"]!["count"]!.GetValue<int>());
        Assert.Equal(75, report["total"]!["minutes"]!.GetValue<double>());
        Assert.Equal(1.25, report["total"]!["hours"]!.GetValue<double>());
        var perStation = report["stations"]!.AsArray().Single()!;
        Assert.Equal(station, Guid(perStation, "stationId"));
        Assert.Equal(75, perStation["minutes"]!.GetValue<double>());
        Assert.Equal(0, other!["total"]!["count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, badFrom);
        Assert.NotNull(badFromProblem!["errors"]!["from"]);
        Assert.Equal(HttpStatusCode.BadRequest, badTo);
        Assert.NotNull(badToProblem!["errors"]!["to"]);
        Assert.Equal(HttpStatusCode.BadRequest, badStation);
        Assert.NotNull(badStationProblem!["errors"]!["stationId"]);
        Assert.Equal(HttpStatusCode.Forbidden, byOperator);
        Assert.Equal(HttpStatusCode.Forbidden, byVolunteer);
        Assert.Equal(HttpStatusCode.Forbidden, operatorOwn);
    }

    [Fact]
    public async Task Export_IsARealWorkbook_AndACsvFile_WithTheSameRecords()
    {
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await TestUsers.CreateAsync(Web, "volunteer");
        var station = System.Guid.NewGuid();
        var day = new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
        await InsertRecordsAsync(volunteer.VolunteerId!.Value, [(day, 90, null), (day.AddDays(2), 50, 35)], station);
        var query = $"from=2024-06-01&to=2024-06-30&stationId={station}";

        using var xlsx = await coordinator.Client.Http.GetAsync($"/api/service-records/export?format=xlsx&{query}");
        using var csv = await coordinator.Client.Http.GetAsync($"/api/service-records/export?format=csv&{query}");
        var (badFormat, problem) = await coordinator.Client.GetAsync($"/api/service-records/export?format=pdf&{query}");
        var (byVolunteer, _) = await volunteer.Client.GetAsync($"/api/service-records/export?format=csv&{query}");

        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        using var workbook = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["汇总", "明细"], workbook.GetSheetNames());
        var lines = workbook.Query(useHeaderRow: true, sheetName: "明细", excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal([35.0, 90.0], lines.Select(l => Convert.ToDouble(l["服务分钟"], CultureInfo.InvariantCulture)).Order());
        Assert.Equal("2024-06-03 09:00", lines.Single(l => Convert.ToDouble(l["服务分钟"], CultureInfo.InvariantCulture) == 35)["完成时间"]);
        Assert.All(lines, l => Assert.Equal(volunteer.VolunteerId.ToString(), l["志愿者编号"]));
        var summary = workbook.Query(useHeaderRow: true, sheetName: "汇总", excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(125.0, Convert.ToDouble(summary[0]["服务分钟"], CultureInfo.InvariantCulture));
        Assert.Equal(2.08, Convert.ToDouble(summary[0]["服务小时"], CultureInfo.InvariantCulture));

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        using var reader = new CsvReader(new StringReader(Encoding.UTF8.GetString(bytes[3..])), CultureInfo.InvariantCulture);
        var rows = reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["35", "90"], rows.Select(r => (string)r["服务分钟"]).Order());
        Assert.Equal(["", "满意"], rows.Select(r => (string)r["回访满意"]).Order());

        Assert.Equal(HttpStatusCode.BadRequest, badFormat);
        Assert.NotNull(problem!["errors"]!["format"]);
        Assert.Equal(HttpStatusCode.Forbidden, byVolunteer);
    }

    [Fact]
    public async Task ACompletedService_ReachesTheDispatchCell_AndPutsTheHelperAfterAFreshOneAtTheSameEta()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        var spot = scene.Offset(200, 0);
        using var served = await scene.VolunteerAsync(spot);
        var first = await scene.RequestAsync(op.Client);
        await CompleteAsync(served, first);
        using var fresh = await scene.VolunteerAsync(spot); // the same place: the same ETA

        var second = await scene.RequestAsync(op.Client);
        var (status, candidates) = await coordinator.Client.GetAsync($"/api/requests/{second}/candidates");

        Assert.Equal(HttpStatusCode.OK, status);
        var ranked = candidates!.AsArray();
        Assert.Equal([fresh.VolunteerId!.Value, served.VolunteerId!.Value], ranked.Select(c => Guid(c, "volunteerId")));
        Assert.Equal(ranked[0]!["etaMinutes"]!.GetValue<double>(), ranked[1]!["etaMinutes"]!.GetValue<double>());
        Assert.Equal(0, ranked[0]!["servedMinutes"]!.GetValue<double>());
        Assert.True(ranked[1]!["servedMinutes"]!.GetValue<double>() > 0, "the completed service counts for the helper");
    }

    [Fact]
    public async Task Completion_AndItsRecord_AreStoredTogetherOrNotAtAll()
    {
        var scene = new Scene(Web);
        using var op = await TestUsers.CreateAsync(Web, "operator");
        using var coordinator = await TestUsers.CreateAsync(Web, "coordinator");
        using var volunteer = await scene.VolunteerAsync(scene.Offset(200, 0));
        var id = await scene.RequestAsync(op.Client);
        await volunteer.Client.PostAsync($"/api/requests/{id}/claim", null);
        await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.EnRoute));
        await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.OnSite));
        // The record's insert fails as a lost connection would: the completion in the same statement must fail with it.
        HttpStatusCode failed;
        await using (await StorageFaults.FailWritesAsync(fixture.System.ConnectionString, "outreach_service_records", $"NEW.request_id = '{id}'"))
            (failed, _) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed));
        var (_, during) = await coordinator.Client.GetAsync($"/api/requests/{id}");
        var (_, noRecords) = await volunteer.Client.GetAsync("/api/volunteers/me/service-records");
        var (retried, _) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed));
        var (again, _) = await volunteer.Client.PostAsync($"/api/requests/{id}/status", new StatusBody(RequestStatus.Completed));
        var (_, records) = await volunteer.Client.GetAsync("/api/volunteers/me/service-records");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed);
        Assert.Equal("OnSite", during!["status"]!.GetValue<string>());
        Assert.Empty(noRecords!["records"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, retried);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(id, Guid(records!["records"]!.AsArray().Single(), "requestId"));
    }

    private static async Task CompleteAsync(TestUser volunteer, Guid request)
    {
        var (claim, body) = await volunteer.Client.PostAsync($"/api/requests/{request}/claim", null);
        Assert.True(claim == HttpStatusCode.OK, $"claim: {(int)claim} {body}");
        foreach (var step in new[] { RequestStatus.EnRoute, RequestStatus.OnSite, RequestStatus.Completed })
        {
            var (status, answer) = await volunteer.Client.PostAsync($"/api/requests/{request}/status", new StatusBody(step));
            Assert.True(status == HttpStatusCode.OK, $"{step}: {(int)status} {answer}");
        }
    }

    private Task InsertRecordsAsync(Guid volunteerId, (DateTimeOffset CompletedAt, double Minutes, double? Corrected)[] rows, Guid? station = null) =>
        ServiceRecordRows.InsertAsync(fixture.System.ConnectionString, volunteerId, rows.Select(r => new RecordRow(r.CompletedAt, r.Minutes, r.Corrected)), station);

    private static Guid Guid(JsonNode? node, string property) => node![property]!.GetValue<Guid>();
}
