using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using Outreach.Model;
using Outreach.Web.Dispatch;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Hours;

/// <summary>
/// The export of a period's service records for the union's recognition: <c>csv</c> (UTF-8 with a byte order mark, so
/// Excel reads the Chinese) with one line per record, or <c>xlsx</c> (MiniExcel) with a sheet of totals per volunteer
/// (汇总) and a sheet of the records (明细). Times are China Standard Time; minutes and hours are numbers.
/// </summary>
public static class ServiceExport
{
    public const string SummarySheet = "汇总";
    public const string RecordsSheet = "明细";

    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The columns of a record line, in order.</summary>
    public static readonly string[] RecordColumns =
        ["记录编号", "请求编号", "志愿者编号", "志愿者", "驿站", "服务类别", "出发时间", "完成时间", "服务分钟", "服务小时", "原记录分钟", "回访满意", "评分", "更正原因"];

    /// <summary>The columns of a volunteer's totals, in order.</summary>
    public static readonly string[] SummaryColumns = ["志愿者编号", "志愿者", "服务次数", "服务分钟", "服务小时"];

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> Export(
        string? format, string? from, string? to, string? stationId, string? volunteerId,
        ServiceRecordStore store, IGrainFactory grains, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (format is not ("csv" or "xlsx"))
            return Problems.Field("format", "The format is csv or xlsx.");
        if (ServiceRecordEndpoints.ReadFilter(from, to, stationId, volunteerId, clock.GetUtcNow(), out var problem) is not { } filter)
            return problem!;
        var records = await store.ListAsync(filter, cancellationToken);
        var stations = await ServiceRecordEndpoints.StationNamesAsync(grains);
        var name = $"service-hours-{filter.Period.FromText}-{filter.Period.ToText}.{format}";
        return format == "csv"
            ? TypedResults.File(Csv(records, stations), CsvContentType, name)
            : TypedResults.File(Xlsx(filter.Period, records, stations), XlsxContentType, name);
    }

    /// <summary>One line per record under a header line, UTF-8 with a byte order mark; no field can be a formula.</summary>
    public static byte[] Csv(IEnumerable<ServiceRecordDto> records, IReadOnlyDictionary<Guid, string> stations)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        // A name or reason starting with = + - @ would run as a formula in the spreadsheet that opens the file: the
        // library quotes it behind an apostrophe (numbers are written unsigned, so none is touched).
        using (var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape }))
        {
            foreach (var column in RecordColumns)
                csv.WriteField(column);
            csv.NextRecord();
            foreach (var record in records)
            {
                foreach (var value in Line(record, stations))
                    csv.WriteField(value switch
                    {
                        null => "",
                        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
                        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                        _ => value.ToString(),
                    }, shouldQuote: value is string);
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }

    /// <summary>A workbook with the totals per volunteer and the records.</summary>
    public static byte[] Xlsx(ServicePeriod period, IReadOnlyCollection<ServiceRecordDto> records, IReadOnlyDictionary<Guid, string> stations)
    {
        var report = ServiceTotals.Report(period, records, stations, maxListed: 0);
        var summary = report.Volunteers.Select(v => Row(SummaryColumns, [v.VolunteerId.ToString(), v.VolunteerName, v.Count, v.Minutes, v.Hours])).ToList();
        summary.Add(Row(SummaryColumns, ["", $"合计 {period.FromText} 至 {period.ToText}", report.Total.Count, report.Total.Minutes, report.Total.Hours]));
        var lines = records.Select(r => Row(RecordColumns, Line(r, stations))).ToList();
        var sheets = new Dictionary<string, object>
        {
            [SummarySheet] = summary,
            [RecordsSheet] = lines,
        };
        using var buffer = new MemoryStream();
        buffer.SaveAs(sheets, excelType: ExcelType.XLSX);
        return buffer.ToArray();
    }

    private static object?[] Line(ServiceRecordDto r, IReadOnlyDictionary<Guid, string> stations) =>
    [
        r.Id.ToString(),
        r.RequestId.ToString(),
        r.VolunteerId.ToString(),
        r.VolunteerName,
        r.StationId is { } s ? stations.GetValueOrDefault(s, s.ToString()) : "",
        CategoryNames.Chinese(r.Category),
        ChinaTime(r.StartedAt),
        ChinaTime(r.CompletedAt),
        r.Minutes,
        r.Hours,
        r.RecordedMinutes,
        r.Satisfied switch { true => "满意", false => "不满意", null => "" },
        r.Rating,
        r.Correction?.Reason ?? "",
    ];

    private static Dictionary<string, object?> Row(string[] columns, object?[] values)
    {
        var row = new Dictionary<string, object?>(columns.Length);
        for (var i = 0; i < columns.Length; i++)
            row[columns[i]] = values[i];
        return row;
    }

    public static string ChinaTime(DateTimeOffset at) =>
        at.ToOffset(IsoTime.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
