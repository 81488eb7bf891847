using System.ComponentModel.DataAnnotations;
using Outreach.Model;

namespace Outreach.Contracts;

/// <summary>One service record: who served which request, from when to when, for how long (corrected if so), the family's answer.</summary>
public sealed record ServiceRecordDto(
    Guid Id,
    Guid RequestId,
    int Seq,
    Guid VolunteerId,
    string VolunteerName,
    Guid? StationId,
    HelpCategory Category,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    double Minutes,
    double Hours,
    double RecordedMinutes,
    bool? Satisfied,
    int? Rating,
    ServiceCorrectionDto? Correction);

/// <summary>A coordinator's correction of a record's time, and why.</summary>
public sealed record ServiceCorrectionDto(double Minutes, string Reason, string? By, DateTimeOffset At);

/// <summary>How many services and how long, in minutes and hours (two decimals).</summary>
public sealed record ServiceTotal(int Count, double Minutes, double Hours)
{
    public static ServiceTotal Of(int count, double minutes) => new(count, Math.Round(minutes, 2), Math.Round(minutes / 60, 2));
}

/// <summary>A volunteer's own records (newest first) and totals this month, this year and all time (China Standard Time).</summary>
public sealed record MyServiceRecords(ServiceTotal ThisMonth, ServiceTotal ThisYear, ServiceTotal AllTime, ServiceRecordDto[] Records);

public sealed record VolunteerServiceTotal(Guid VolunteerId, string VolunteerName, int Count, double Minutes, double Hours);

public sealed record StationServiceTotal(Guid? StationId, string? StationName, int Count, double Minutes, double Hours);

/// <summary>The records of a period (newest first, at most 500) and their totals.</summary>
public sealed record ServiceRecordReport(
    string From,
    string To,
    ServiceTotal Total,
    VolunteerServiceTotal[] Volunteers,
    StationServiceTotal[] Stations,
    ServiceRecordDto[] Records,
    bool RecordsTruncated);

/// <summary>A correction: the record's time in minutes and why it is corrected.</summary>
public sealed record ServiceCorrectionBody(double Minutes, [StringLength(500)] string Reason);
