using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Outreach.Files;
using Outreach.Model;
using Outreach.Stations;
using Outreach.Volunteers;
using Outreach.Web.Auth;
using Outreach.Web.Dispatch;
using Outreach.Web.Infrastructure;
using Outreach.Cluster;

namespace Outreach.Web.Volunteers;

/// <summary>
/// <c>POST /api/volunteers/import</c> (coordinator): volunteers from a CSV file (<c>text/csv</c>) with a header row
/// <c>name,phone,skills,travelMode,homeStation,capacity</c> (the last two optional). Good rows are created with the
/// rules of <c>POST /api/volunteers</c>; every other row is reported with its line and reason. An
/// <c>Idempotency-Key</c> makes sending the same file again safe (each line is made once).
/// </summary>
public static class VolunteerImportEndpoints
{
    /// <summary>The largest file accepted (bytes).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    private static readonly string[] RequiredColumns = ["name", "phone", "skills", "travelMode"];

    public static IEndpointRouteBuilder MapVolunteerImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/volunteers/import", Import)
            .WithTags("Volunteers")
            .Accepts<string>("text/csv")
            .RequireAuthorization(Policies.Coordinator);
        return app;
    }

    private static async Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult>> Import(
        HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        // With an Idempotency-Key each line's volunteer id is derived from the key and the line, so a file sent again
        // after a 503 part-way finds the volunteers its first lines already made instead of making them twice.
        var key = CreateIds.KeyOf(request, out var keyProblem);
        if (keyProblem is not null)
            return keyProblem;
        var type = request.ContentType ?? "";
        if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type.",
                detail: "Send the file as text/csv.");
        if (request.ContentLength > MaxBytes)
            return Problems.Field("file", $"The file is larger than {MaxBytes} bytes.");

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (text.Length > MaxBytes)
            return Problems.Field("file", $"The file is larger than {MaxBytes} bytes.");

        var stations = await StationsAsync(grains);
        var rows = ReadRows(text, out var headerProblem);
        if (headerProblem is not null)
            return Problems.Field("file", headerProblem);

        var imported = 0;
        var rejected = new List<ImportRejection>();
        foreach (var row in rows)
        {
            if (Check(row, stations, out var problem) is not { } volunteer)
            {
                rejected.Add(new ImportRejection(row.Line, problem.Field, problem.Field is { } field ? $"{field}: {problem.Reason}" : problem.Reason));
                continue;
            }
            var id = key.Length > 0
                ? CreateIds.Derive("volunteer-import", request.HttpContext.User, $"{key}#{row.Line.ToString(CultureInfo.InvariantCulture)}")
                : Guid.NewGuid();
            // Null: the line was made by an earlier send of the file under the same key (its listing is done again).
            if (await grains.Get<IVolunteerGrain>(id).CreateAsync(volunteer.ToProfile()) is null && key.Length == 0)
                throw new InvalidOperationException($"A fresh volunteer id {id} was already taken.");
            imported++;
        }
        return TypedResults.Ok(new ImportReport(imported, [.. rejected]));
    }

    /// <summary>One data row: its line and its fields by column (null when the row is too short).</summary>
    internal sealed record Row(int Line, string? Name, string? Phone, string? Skills, string? TravelMode, string? HomeStation, string? Capacity, int FieldCount, int HeaderCount);

    internal static List<Row> ReadRows(string text, out string? headerProblem)
    {
        headerProblem = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
            MissingFieldFound = null,
            BadDataFound = null,
            HeaderValidated = null,
            // Cells are taken as they are: " EBike" or " 2 " is not a word or a number (names and phones are trimmed below).
            TrimOptions = TrimOptions.None,
            DetectDelimiter = false,
        };
        using var csv = new CsvReader(new StringReader(text), config);
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            headerProblem = "The file is empty; the first line must be the header name,phone,skills,travelMode[,homeStation][,capacity].";
            return [];
        }
        var columns = header.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var missing = RequiredColumns.Where(c => !columns.Contains(c.ToLowerInvariant())).ToArray();
        if (missing.Length > 0)
        {
            headerProblem = $"The header lacks the column(s) {string.Join(", ", missing)}; it must be name,phone,skills,travelMode[,homeStation][,capacity].";
            return [];
        }
        string? Field(string name) => Array.IndexOf(columns, name.ToLowerInvariant()) is >= 0 and var i && i < csv.Parser.Count ? csv.GetField(i) : null;

        var rows = new List<Row>();
        while (csv.Read())
        {
            rows.Add(new Row(csv.Parser.RawRow, Field("name"), Field("phone"), Field("skills"), Field("travelMode"),
                Field("homeStation"), Field("capacity"), csv.Parser.Count, columns.Length));
        }
        return rows;
    }

    /// <summary>
    /// The volunteer a row describes, or null with the column and reason it cannot be imported. The rules are those of
    /// the JSON API: no control characters, enum words exactly as documented, phone numbers of digits and separators.
    /// </summary>
    internal static VolunteerRequest? Check(Row row, IReadOnlyList<(Guid Id, string Name)> stations, out InputProblem problem)
    {
        problem = new InputProblem(null, "");
        if (row.FieldCount < 4)
            return Fail(out problem, null, $"The row has {row.FieldCount} field(s); name, phone, skills and travelMode are required.");
        foreach (var (column, text) in new[] { ("name", row.Name), ("phone", row.Phone), ("skills", row.Skills),
                     ("travelMode", row.TravelMode), ("homeStation", row.HomeStation), ("capacity", row.Capacity) })
        {
            if (text is not null && InputText.Problem(text) is { } bad)
                return Fail(out problem, column, bad);
        }
        if (string.IsNullOrWhiteSpace(row.Name))
            return Fail(out problem, "name", "required.");
        if (row.Name.Trim().Length > 64)
            return Fail(out problem, "name", "at most 64 characters.");
        if (Phones.Normalize(row.Phone) is null)
            return Fail(out problem, "phone", $"'{row.Phone}' is not a phone number.");

        // Words between the separators are taken as they are: " Meals" or "meals" is not a category.
        if (string.IsNullOrEmpty(row.Skills))
            return Fail(out problem, "skills", "at least one skill is required.");
        var skillWords = row.Skills.Split(['|', ';']);
        if (skillWords.Any(w => w.Length == 0))
            return Fail(out problem, "skills", "an empty skill between separators (write the words separated by | with nothing else).");
        var skills = new List<HelpCategory>();
        foreach (var word in skillWords)
        {
            if (!EnumWords.TryParse<HelpCategory>(word, out var skill))
                return Fail(out problem, "skills", EnumWords.NotOne<HelpCategory>(word));
            skills.Add(skill);
        }
        if (skills.Distinct().Count() > 8)
            return Fail(out problem, "skills", "at most 8.");
        if (!EnumWords.TryParse<TravelMode>(row.TravelMode ?? "", out var travelMode))
            return Fail(out problem, "travelMode", EnumWords.NotOne<TravelMode>(row.TravelMode ?? ""));

        Guid? homeStationId = null;
        if (!string.IsNullOrWhiteSpace(row.HomeStation))
        {
            var wanted = row.HomeStation.Trim();
            var matches = Guid.TryParse(wanted, out var id)
                ? stations.Where(s => s.Id == id).ToList()
                : stations.Where(s => string.Equals(s.Name, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
                return Fail(out problem, "homeStation", $"there is no station '{wanted}'.");
            if (matches.Count > 1)
                return Fail(out problem, "homeStation", $"more than one station is called '{wanted}'; use its id.");
            homeStationId = matches[0].Id;
        }

        var capacity = 1;
        if (!string.IsNullOrWhiteSpace(row.Capacity)
            && (!int.TryParse(row.Capacity, NumberStyles.None, CultureInfo.InvariantCulture, out capacity) || capacity is < 1 or > 10))
            return Fail(out problem, "capacity", $"'{row.Capacity}' is not a number from 1 to 10.");

        return new VolunteerRequest(row.Name.Trim(), row.Phone!.Trim(), [.. skills.Distinct()], travelMode, homeStationId, capacity);
    }

    private static VolunteerRequest? Fail(out InputProblem problem, string? field, string why)
    {
        problem = new InputProblem(field, why);
        return null;
    }

    private static async Task<List<(Guid Id, string Name)>> StationsAsync(IGrainFactory grains)
    {
        var shards = await grains.ListDirectoryAsync<StationView>(DirectoryShards.Stations);
        return [.. shards.Select(s => (s.Id, s.Info.Name))];
    }
}
