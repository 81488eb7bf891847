using System.Text.RegularExpressions;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Api;

/// <summary>One property of an interface in <c>Web/types/api.d.ts</c>: its name, whether it may be absent, its TS type.</summary>
internal sealed record PageProperty(string Name, bool Optional, string Type);

/// <summary>
/// One interface of <c>Web/types/api.d.ts</c> and the OpenAPI schema its doc comment names (<c>@schema RequestDto</c>;
/// null for <c>@schema none</c>).
/// </summary>
internal sealed record PageType(string Name, string? Schema, PageProperty[] Properties);

/// <summary>
/// Reads <c>Web/types/api.d.ts</c>, the pages' hand-written types of the API, the simple way its format allows (it is
/// our own file: a doc comment, <c>export interface Name {</c>, one <c>name?: type;</c> a line, <c>}</c>), and says
/// which JSON type a TS type stands for.
/// </summary>
internal static partial class PageTypes
{
    public static string FilePath => Path.Combine(RepoPaths.Root, "Web", "types", "api.d.ts");

    public static string Text => File.ReadAllText(FilePath);

    /// <summary>Every <c>export interface</c> with the doc comment right above it, in file order.</summary>
    public static PageType[] Read(string text) =>
    [
        .. DocumentedInterface().Matches(text).Select(m => new PageType(
            m.Groups["name"].Value,
            SchemaTag().Match(m.Groups["doc"].Value) is { Success: true } tag && tag.Groups[1].Value != "none" ? tag.Groups[1].Value : null,
            [.. m.Groups["body"].Value.Split('\n').Select(line => PropertyLine().Match(line)).Where(p => p.Success)
                .Select(p => new PageProperty(p.Groups["name"].Value, p.Groups["optional"].Success, p.Groups["type"].Value.Trim()))])),
    ];

    /// <summary>The names of every <c>export interface</c>, documented or not.</summary>
    public static string[] InterfaceNames(string text) => [.. AnyInterface().Matches(text).Select(m => m.Groups[1].Value)];

    /// <summary>The names of the interfaces whose doc comment has no <c>@schema</c> tag.</summary>
    public static string[] WithoutSchemaTag(string text) =>
        [.. DocumentedInterface().Matches(text).Where(m => !SchemaTag().IsMatch(m.Groups["doc"].Value)).Select(m => m.Groups["name"].Value)];

    /// <summary>
    /// The JSON type a TS type is written as (<c>string</c>, <c>number</c>, <c>boolean</c>, <c>array</c>, <c>object</c>),
    /// <c>| null</c> set aside; aliases (<c>export type Instant = string;</c>) are followed. Null when it cannot be told.
    /// </summary>
    public static string? JsonTypeOf(string tsType, string text)
    {
        var parts = tsType.Split('|').Select(p => p.Trim()).Where(p => p is not ("null" or "undefined")).ToArray();
        if (parts.Length == 0)
            return null;
        if (parts.All(p => p.StartsWith('\'')))
            return "string";
        if (parts.Length > 1)
            return null;
        var type = parts[0];
        if (type.EndsWith("[]", StringComparison.Ordinal))
            return "array";
        if (type.StartsWith("Record<", StringComparison.Ordinal))
            return "object";
        if (type is "string" or "number" or "boolean")
            return type;
        if (InterfaceNames(text).Contains(type))
            return "object";
        var alias = new Regex($@"^export type {Regex.Escape(type)} = (?<rhs>[^;]+);", RegexOptions.Multiline).Match(text);
        return alias.Success ? JsonTypeOf(alias.Groups["rhs"].Value, text) : null;
    }

    [GeneratedRegex(@"/\*\*(?<doc>(?:(?!\*/).)*?)\*/\s*export interface (?<name>\w+) \{(?<body>.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex DocumentedInterface();

    [GeneratedRegex(@"^export interface (\w+)", RegexOptions.Multiline)]
    private static partial Regex AnyInterface();

    [GeneratedRegex(@"@schema (\w+)")]
    private static partial Regex SchemaTag();

    [GeneratedRegex(@"^\s+(?<name>\w+)(?<optional>\?)?:\s*(?<type>[^;]+);\s*$")]
    private static partial Regex PropertyLine();
}
