using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Outreach.Chaos;

/// <summary>A route under attack: who calls it, a valid body, and where in it strings, phones, enum words, numbers and arrays are.</summary>
public sealed record Target(
    string Name, Api Api, HttpMethod Method, string Path, Func<int, JsonObject> Valid,
    string[] Strings, string[] Phones, string[] Enums, string[] Numbers, string[] Arrays, Func<Answer, string?> ReadBackPath);

/// <summary>What the hostile inputs did.</summary>
public sealed record HostileResult(int Sent, int ServerErrors, string ServerErrorExample, int Accepted, string AcceptedByKind, int StoredInvalid,
    string StoredInvalidExample, int ValidWrites, int ValidWritesFailed, string ValidFailureExample);

/// <summary>
/// Inputs no client should send, as documented to be refused (API.md, STYLE.md "validate at the boundary"):
/// control characters (NUL and the other C0/C1 controls, not tab or line breaks) in each string field, null items
/// in arrays, enum words with flags, other case, spaces or as numbers, numbers as strings, phone numbers with
/// letters, huge strings, malformed JSON, wrong content types; and a CSV import with the same faults. Every one
/// should get a 4xx. An accepted one is read back to see what was stored.
/// </summary>
public sealed class Hostile(Api operatorApi, Api coordinatorApi, Api anonymous, Api hostileVolunteer, Guid stationId, Guid volunteerId, Guid workerId, int seed)
{
    private static readonly string[] Kinds = ["control", "null-item", "enum-word", "number-as-string", "phone-letters", "huge", "malformed-json", "content-type"];
    private static readonly char[] Controls = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000B', '\u000C', '\u001B', '\u007F', '\u0085', '\u009B'];
    private static readonly string[] PhonesWithLetters = ["1380393000O", "138-0393-ABCD", "call me", "+86 138 0393 000l", "1380393000１x"];
    private static readonly string[] Malformed =
    [
        "{", "{\"name\":}", "[1,2", "{\"a\":1,}", "nul", "\"a string\"", "[]", "null", "{}{}", new string('[', 5000), "\u0000{}",
        "{'single':'quotes'}", "{\"lat\":1e999,\"position\":{\"lat\":1e999,\"lon\":NaN}}", "\uFEFF\uFEFF{}", "{\"x\":\"\\ud800\"}",
    ];
    private static readonly int[] CsvTextColumns = [0, 1, 2, 3];
    private static readonly int[] CsvEnumColumns = [2, 3];
    private static readonly string[] CsvEnumWords = ["\"Meals,Escort\"", "meals", " EBike", "ebike", "2", "EBIKE", "Meals; escort"];
    private static readonly string[] CsvNumbers = ["two", "1e3", "0x2", "2.5", " 2 "];
    private static readonly string[] CsvContentTypes = ["application/json", "application/xml", "application/octet-stream"];
    private static readonly string[] ContentTypes = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""];

    /// <summary>Exact words of each enum field (the property name decides).</summary>
    private static readonly Dictionary<string, string[]> Words = new()
    {
        ["category"] = ["Groceries", "Meals", "SchoolSupplies", "Medicine", "Tutoring", "Escort", "FirstAid", "Other"],
        ["skills"] = ["Groceries", "Meals", "SchoolSupplies", "Medicine", "Tutoring", "Escort", "FirstAid", "Other"],
        ["urgency"] = ["Emergency", "Urgent", "Routine"],
        ["travelMode"] = ["Walk", "Bike", "EBike", "Car"],
        ["status"] = ["New", "Offered", "Claimed", "EnRoute", "OnSite", "Completed", "Cancelled"],
    };

    private readonly Random _random = new(seed);
    private readonly ConcurrentBag<(string Kind, string Target)> _accepted = [];
    private readonly ConcurrentBag<string> _serverErrors = [];
    private readonly ConcurrentBag<string> _storedInvalid = [];

    public async Task<HostileResult> RunAsync(int count)
    {
        var targets = Targets();
        var inputs = Enumerable.Range(0, count).Select(i => Make(i, targets)).ToList();
        await Parallel.ForEachAsync(inputs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (input, _) => await SendAsync(input));
        await ReadBackImportsAsync();
        var (valid, failed, example) = await ValidWritesAsync(targets);
        return new HostileResult(count, _serverErrors.Count, _serverErrors.FirstOrDefault() ?? "", _accepted.Count,
            string.Join(", ", _accepted.GroupBy(a => a.Kind).OrderByDescending(g => g.Count())
                .Select(g => $"{g.Key} {g.Count()} ({string.Join("/", g.Select(a => a.Target).Distinct())})")),
            _storedInvalid.Count, _storedInvalid.FirstOrDefault() ?? "", valid, failed, example);
    }

    private sealed record Input(Target Target, string Kind, string Text, string? ContentType, int Index);

    private List<Target> Targets()
    {
        static JsonObject Position(double lat, double lon) => new() { ["lat"] = lat, ["lon"] = lon };
        // Far from the crew (Beijing), so an accepted request is offered to none of them.
        JsonObject Intake(int i) => new()
        {
            ["callerPhone"] = "13803930001", ["category"] = "Meals", ["urgency"] = "Routine", ["position"] = Position(39.9, 116.4),
            ["address"] = $"北京 测试路 {i}号", ["description"] = "hostile input",
        };
        JsonObject Station(int i) => new()
        {
            ["name"] = $"H驿站 {i}", ["address"] = "华龙区 测试路 1号", ["position"] = Position(35.70, 115.00), ["circleRadiusM"] = 2000,
            ["phone"] = "0393-4812345", ["kits"] = new JsonArray(new JsonObject { ["name"] = "急救包", ["quantity"] = 3 }),
        };
        // Inactive: never on duty, so never offered anything.
        JsonObject Volunteer(int i) => new()
        {
            ["name"] = $"H志愿者 {i}", ["phone"] = "13912345678", ["skills"] = new JsonArray("Meals", "Escort"), ["travelMode"] = "EBike",
            ["capacity"] = 2, ["active"] = false,
        };
        JsonObject FamilyFile(int i) => new()
        {
            ["workerName"] = $"H王 {i}", ["workerPhone"] = "13803930000", ["posting"] = "中原油田",
            ["familyMembers"] = new JsonArray(new JsonObject { ["name"] = "刘芳", ["relation"] = "妻子", ["phone"] = "13803930001", ["notes"] = "n" }),
            ["addresses"] = new JsonArray(new JsonObject { ["label"] = "家", ["text"] = "华龙区 中原路 2号院", ["position"] = Position(35.76, 115.02) }),
            ["notes"] = "n",
        };
        static string? Id(Answer a) => a.Json().TryGetProperty("id", out var id) ? id.GetString() : null;
        string[] stationStrings = ["name", "address", "phone", "kits[0].name"];
        string[] volunteerStrings = ["name", "phone"];
        string[] workerStrings = ["workerName", "workerPhone", "posting", "notes", "familyMembers[0].name", "familyMembers[0].relation",
            "familyMembers[0].phone", "familyMembers[0].notes", "addresses[0].label", "addresses[0].text"];
        string[] workerPhones = ["workerPhone", "familyMembers[0].phone"];
        return
        [
            new("intake", operatorApi, HttpMethod.Post, "/api/requests", Intake, ["callerPhone", "address", "description"], ["callerPhone"],
                ["category", "urgency"], ["position.lat", "position.lon"], [], a => $"/api/requests/{Id(a)}"),
            new("station-create", coordinatorApi, HttpMethod.Post, "/api/stations", Station, stationStrings, ["phone"], [],
                ["position.lat", "circleRadiusM", "kits[0].quantity"], ["kits"], a => $"/api/stations/{Id(a)}"),
            new("station-update", coordinatorApi, HttpMethod.Put, $"/api/stations/{stationId}", Station, stationStrings, ["phone"], [],
                ["position.lon", "circleRadiusM", "kits[0].quantity"], ["kits"], _ => $"/api/stations/{stationId}"),
            new("volunteer-create", coordinatorApi, HttpMethod.Post, "/api/volunteers", Volunteer, volunteerStrings, ["phone"],
                ["skills[0]", "travelMode"], ["capacity"], ["skills"], a => $"/api/volunteers/{Id(a)}"),
            new("volunteer-update", coordinatorApi, HttpMethod.Put, $"/api/volunteers/{volunteerId}", Volunteer, volunteerStrings, ["phone"],
                ["skills[1]", "travelMode"], ["capacity"], ["skills"], _ => $"/api/volunteers/{volunteerId}"),
            new("worker-create", operatorApi, HttpMethod.Post, "/api/workers", FamilyFile, workerStrings, workerPhones, [],
                ["addresses[0].position.lat"], ["familyMembers", "addresses"], a => $"/api/workers/{Id(a)}"),
            new("worker-update", operatorApi, HttpMethod.Put, $"/api/workers/{workerId}", FamilyFile, workerStrings, workerPhones, [],
                ["addresses[0].position.lon"], ["familyMembers", "addresses"], _ => $"/api/workers/{workerId}"),
            new("login", anonymous, HttpMethod.Post, "/api/auth/login", i => new() { ["login"] = $"chaos-h{i}", ["password"] = "wrong-password" },
                ["login", "password"], [], [], [], [], _ => null),
            new("position", hostileVolunteer, HttpMethod.Post, "/api/volunteers/me/position", _ => new() { ["lat"] = 39.9, ["lon"] = 116.4, ["accuracyM"] = 10 },
                [], [], [], ["lat", "lon", "accuracyM"], [], _ => "/api/volunteers/me"),
            new("import", coordinatorApi, HttpMethod.Post, "/api/volunteers/import", _ => [], [], [], [], [], [], _ => null),
        ];
    }

    private Input Make(int index, List<Target> targets)
    {
        var target = targets[index % targets.Count];
        var kinds = Kinds.Where(k => Applies(target, k)).ToArray();
        var kind = kinds[index / targets.Count % kinds.Length];
        if (target.Name == "import")
            return Csv(target, kind, index);
        var body = target.Valid(index);
        string text;
        string? contentType = "application/json";
        switch (kind)
        {
            case "control":
                var field = Pick(target.Strings);
                Set(body, field, $"{(Get(body, field) as JsonValue)?.GetValue<string>()}{Pick(Controls)}x");
                text = body.ToJsonString();
                break;
            case "null-item":
                var array = (JsonArray)Get(body, Pick(target.Arrays))!;
                array.Insert(0, null);
                text = body.ToJsonString();
                break;
            case "enum-word":
                var path = Pick(target.Enums);
                var word = (Get(body, path) as JsonValue)!.GetValue<string>();
                var other = Words[Name(path)].First(w => w != word);
                JsonNode?[] choices = [$"{word},{other}", $"{word}, {other}", word.ToLowerInvariant(), word.ToUpperInvariant(), $" {word}", $"{word} ", "1",
                    JsonValue.Create(1), $"{word}|{other}"];
                Set(body, path, Pick(choices));
                text = body.ToJsonString();
                break;
            case "number-as-string":
                var number = Pick(target.Numbers);
                Set(body, number, Get(body, number)!.ToJsonString());
                text = body.ToJsonString();
                break;
            case "phone-letters":
                Set(body, Pick(target.Phones), Pick(PhonesWithLetters));
                text = body.ToJsonString();
                break;
            case "huge":
                Set(body, Pick(target.Strings), new string('长', index % 50 == 0 ? 3_000_000 : 200_000));
                text = body.ToJsonString();
                break;
            case "malformed-json":
                text = Pick(Malformed);
                break;
            default:
                text = body.ToJsonString();
                contentType = Pick(ContentTypes) is { Length: > 0 } type ? type : null;
                break;
        }
        return new Input(target, kind, text, contentType, index);
    }

    private static bool Applies(Target target, string kind) => target.Name == "import" || kind switch
    {
        "control" or "huge" => target.Strings.Length > 0,
        "null-item" => target.Arrays.Length > 0,
        "enum-word" => target.Enums.Length > 0,
        "number-as-string" => target.Numbers.Length > 0,
        "phone-letters" => target.Phones.Length > 0,
        _ => true,
    };

    /// <summary>A CSV file whose only data row breaks one rule (or the file itself is not CSV).</summary>
    private Input Csv(Target target, string kind, int index)
    {
        var name = $"H导入 {index}";
        string[] row = [name, "13912345678", "Meals|Escort", "EBike", "2"];
        var contentType = "text/csv";
        switch (kind)
        {
            case "control": row[Pick(CsvTextColumns)] += Pick(Controls); break;
            case "null-item": row[2] = "Meals||Escort"; break;
            case "enum-word": row[Pick(CsvEnumColumns)] = Pick(CsvEnumWords); break;
            case "number-as-string": row[4] = Pick(CsvNumbers); break;
            case "phone-letters": row[1] = Pick(PhonesWithLetters); break;
            case "huge": row[0] = new string('长', 200_000); break;
            case "malformed-json": row[0] = "\"unclosed, quote"; break;
            default: contentType = Pick(CsvContentTypes); break;
        }
        return new Input(target, kind, $"name,phone,skills,travelMode,capacity\n{string.Join(',', row)}\n", contentType, index);
    }

    private async Task SendAsync(Input input)
    {
        var answer = await input.Target.Api.SendRawAsync($"hostile-{input.Target.Name}", input.Index, input.Target.Method, input.Target.Path, input.Text, input.ContentType);
        if (answer.Status is null or >= 500)
            _serverErrors.Add($"{input.Target.Name}/{input.Kind}: {answer.Status?.ToString(CultureInfo.InvariantCulture) ?? "no answer"} {Short(answer.Error ?? answer.Body)}");
        if (answer.Status is not (>= 200 and < 300))
            return;
        if (input.Target.Name == "import")
        {
            if (answer.Json().GetProperty("imported").GetInt32() > 0)
                _accepted.Add((input.Kind, input.Target.Name));
            return;
        }
        _accepted.Add((input.Kind, input.Target.Name));
        if (input.Target.ReadBackPath(answer) is not { } path)
            return;
        var stored = await input.Target.Api.GetAsync("hostile-readback", 0, path);
        if (stored.Is(HttpStatusCode.OK) && Invalid(stored.Json(), "") is { } what)
            _storedInvalid.Add($"{input.Target.Name}/{input.Kind}: {what}");
    }

    /// <summary>Imported volunteers are found by their marker name in the roster.</summary>
    private async Task ReadBackImportsAsync()
    {
        var list = await coordinatorApi.GetAsync("hostile-readback", 0, "/api/volunteers");
        if (!list.Is(HttpStatusCode.OK))
            return;
        foreach (var volunteer in list.Json().EnumerateArray())
        {
            var name = volunteer.GetProperty("name").GetString() ?? "";
            if ((name.StartsWith("H导入", StringComparison.Ordinal) || name.StartsWith('长')) && Invalid(volunteer, "") is { } what)
                _storedInvalid.Add($"import: {what}");
        }
    }

    /// <summary>After the attack, ordinary writes on every route must still work.</summary>
    private async Task<(int Count, int Failed, string Example)> ValidWritesAsync(List<Target> targets)
    {
        int count = 0, failed = 0;
        var example = "";
        for (var round = 0; round < 5; round++)
        {
            foreach (var target in targets.Where(t => t.Name is not ("login" or "import")))
            {
                var answer = await target.Api.SendRawAsync($"valid-{target.Name}", round, target.Method, target.Path, target.Valid(100_000 + round).ToJsonString(), "application/json");
                count++;
                if (answer.Status is >= 200 and < 300)
                    continue;
                failed++;
                example = example.Length > 0 ? example : $"{target.Name}: {answer.Status} {Short(answer.Error ?? answer.Body)}";
            }
            var import = await coordinatorApi.SendRawAsync("valid-import", round, HttpMethod.Post, "/api/volunteers/import",
                $"name,phone,skills,travelMode,capacity\nV导入 {round},1391234{round:0000},Meals|Escort,EBike,2\n", "text/csv");
            var login = await anonymous.SendRawAsync("valid-login", round, HttpMethod.Post, "/api/auth/login", "{\"login\":\"chaos-coordinator\",\"password\":\"bench-password-1\"}", "application/json");
            count += 2;
            if (!import.Is(HttpStatusCode.OK) || import.Json().GetProperty("imported").GetInt32() != 1)
            {
                failed++;
                example = example.Length > 0 ? example : $"import: {import.Status} {Short(import.Error ?? import.Body)}";
            }
            if (!login.Is(HttpStatusCode.OK))
            {
                failed++;
                example = example.Length > 0 ? example : $"login: {login.Status} {Short(login.Error ?? login.Body)}";
            }
        }
        return (count, failed, example);
    }

    /// <summary>What is wrong with a stored entity: a control character, a string over 2000 characters, an enum field not one of its words.</summary>
    private static string? Invalid(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (Words.TryGetValue(property.Name, out var words) && BadWord(property.Value, words) is { } bad)
                        return $"{path}{property.Name} = {bad}";
                    if (Invalid(property.Value, $"{path}{property.Name}.") is { } inner)
                        return inner;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Invalid(item, $"{path}[{i++}].") is { } inner)
                        return inner;
                }
                return null;
            case JsonValueKind.String:
                var text = element.GetString() ?? "";
                if (text.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')))
                    return $"{path.TrimEnd('.')} holds control character U+{(int)text.First(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')):X4}";
                return text.Length > 2000 ? $"{path.TrimEnd('.')} is {text.Length} characters long" : null;
            default:
                return null;
        }
    }

    private static string? BadWord(JsonElement value, string[] words) => value.ValueKind switch
    {
        JsonValueKind.String when !words.Contains(value.GetString()) => JsonSerializer.Serialize(value.GetString()),
        JsonValueKind.Array => value.EnumerateArray().Select(v => BadWord(v, words)).FirstOrDefault(b => b is not null),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static JsonNode? Get(JsonNode root, string path) =>
        Steps(path).Aggregate<(string Name, int? Index), JsonNode?>(root, (node, step) => step.Index is { } i ? node?[step.Name]?[i] : node?[step.Name]);

    private static void Set(JsonNode root, string path, JsonNode? value)
    {
        var steps = Steps(path);
        var parent = Get(root, string.Join('.', path.Split('.')[..^1]));
        var (name, index) = steps[^1];
        if (index is { } i)
            parent![name]![i] = value;
        else
            parent![name] = value;
    }

    /// <summary>"familyMembers[0].name" → (familyMembers, 0), (name, null).</summary>
    private static List<(string Name, int? Index)> Steps(string path) =>
        [.. path.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(s => s.EndsWith(']')
            ? (s[..s.IndexOf('[', StringComparison.Ordinal)], int.Parse(s[(s.IndexOf('[', StringComparison.Ordinal) + 1)..^1], CultureInfo.InvariantCulture))
            : (s, (int?)null))];

    private static string Name(string path) => Steps(path)[^1].Name;

    private T Pick<T>(IReadOnlyList<T> items)
    {
        lock (_random)
            return items[_random.Next(items.Count)];
    }

    private static string Short(string text) => text.Length > 200 ? text[..200] : text;
}
