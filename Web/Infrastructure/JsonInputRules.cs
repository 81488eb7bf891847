using System.Text;
using System.Text.Json;

namespace Outreach.Web.Infrastructure;

/// <summary>What is wrong with a body: the JSON path of the field (e.g. <c>familyMembers[1].name</c>) and why.</summary>
public sealed record InputProblem(string? Field, string Reason);

/// <summary>
/// Checks a JSON body before it is deserialized, whatever type it becomes: every string (values and property
/// names) by <see cref="InputText"/>, and no <c>null</c> item in any array. Malformed JSON is left to the
/// deserializer, which names the problem itself.
/// </summary>
public static class JsonInputRules
{
    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string? Property { get; set; }
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static InputProblem? Check(ReadOnlySpan<byte> json)
    {
        // The deserializer skips a byte-order mark, and the reader would stop at it: what follows is what gets stored.
        if (json.StartsWith(Utf8Bom))
            json = json[Utf8Bom.Length..];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        CountItem(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = ReadString(ref reader, frames, out var nameProblem);
                        if (nameProblem is not null)
                            return nameProblem;
                        if (InputText.Problem(name) is { } badName)
                            return new InputProblem(Path(frames, name), "Property name: " + badName);
                        frames[^1].Property = name;
                        break;
                    case JsonTokenType.String:
                        CountItem(frames);
                        var value = ReadString(ref reader, frames, out var valueProblem);
                        if (valueProblem is not null)
                            return valueProblem;
                        var freeText = frames is [.., { IsArray: false, Property: { } property }] && InputText.FreeTextFields.Contains(property);
                        if (InputText.Problem(value, freeText) is { } badValue)
                            return new InputProblem(Path(frames), badValue);
                        break;
                    case JsonTokenType.Null when frames is [.., { IsArray: true }]:
                        CountItem(frames);
                        return new InputProblem(Path(frames), "An array item is null; leave it out instead.");
                    default:
                        CountItem(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null; // malformed: the deserializer reports it with its position
        }
        return null;
    }

    /// <summary>The string token's text; only an escaped one can hold a control character or a lone surrogate.</summary>
    private static string ReadString(ref Utf8JsonReader reader, List<Frame> frames, out InputProblem? problem)
    {
        problem = null;
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            problem = new InputProblem(Path(frames), "The text is not valid Unicode (a lone surrogate).");
            return "";
        }
    }

    private static void CountItem(List<Frame> frames)
    {
        if (frames is [.., { IsArray: true } array])
            array.Index++;
    }

    /// <summary>The path as the deserializer writes it, without <c>$.</c>: <c>addresses[0].position.lat</c>.</summary>
    private static string? Path(List<Frame> frames, string? lastProperty = null)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
                path.Append('[').Append(frame.Index).Append(']');
            else if (frame.Property is { } property && frame != frames[^1])
                Append(path, property);
        }
        if (frames is [.., { IsArray: false } last] && (lastProperty ?? last.Property) is { } tail)
            Append(path, tail);
        return path.Length == 0 ? null : path.ToString();
    }

    private static void Append(StringBuilder path, string property)
    {
        if (path.Length > 0)
            path.Append('.');
        path.Append(property);
    }
}
