using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outreach.Contracts;

/// <summary>
/// Enums as exactly one of their names: no case folding, no surrounding spaces, no numbers and no
/// comma-separated flags ("Meals,Escort"), which <see cref="JsonStringEnumConverter"/> all accepts.
/// </summary>
public sealed class StrictEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(StrictEnumConverter<>).MakeGenericType(typeToConvert))!;
}

/// <summary>One enum type read and written as its names (see <see cref="StrictEnumConverterFactory"/>).</summary>
public sealed class StrictEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"Expected one of the words {EnumWords.List<TEnum>()} (a JSON string), not {Describe(reader.TokenType)}.");
        return Parse(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());

    public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Parse(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.ToString());

    private static TEnum Parse(string word) => EnumWords.TryParse<TEnum>(word, out var value)
        ? value
        : throw new JsonException(EnumWords.NotOne<TEnum>(word));

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}

/// <summary>Enum words exactly as the API writes them, for every reader of input (JSON, CSV, query strings).</summary>
public static class EnumWords
{
    /// <summary>The value named exactly <paramref name="word"/> (no case folding, spaces, numbers or flags), or false.</summary>
    public static bool TryParse<TEnum>(string word, out TEnum value) where TEnum : struct, Enum =>
        Cache<TEnum>.ByName.TryGetValue(word, out value);

    /// <summary>The words, comma-separated, as a 400 lists them.</summary>
    public static string List<TEnum>() where TEnum : struct, Enum => Cache<TEnum>.Words;

    /// <summary>The reason a 400 gives for a word that is not one of them.</summary>
    public static string NotOne<TEnum>(string word) where TEnum : struct, Enum =>
        $"'{(word.Length <= 40 ? word : word[..40] + "…")}' is not one of the words {List<TEnum>()} (exactly as written here).";

    private static class Cache<TEnum> where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<string, TEnum> ByName =
            Enum.GetNames<TEnum>().ToFrozenDictionary(n => n, Enum.Parse<TEnum>, StringComparer.Ordinal);

        public static readonly string Words = string.Join(", ", Enum.GetNames<TEnum>());
    }
}
