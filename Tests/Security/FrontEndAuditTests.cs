using System.Text.RegularExpressions;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Security;

/// <summary>
/// The page scripts never turn a string into HTML, and the HTML files hold nothing the Content-Security-Policy
/// would block (inline scripts, style attributes, inline event handlers). Reads the files in the checkout.
/// </summary>
[Category(TestCategory.Unit)]
public sealed partial class FrontEndAuditTests
{
    private static readonly string WebRoot = Path.Combine(RepoPaths.WebContentRoot, "wwwroot");

    /// <summary>Sinks that parse a string as HTML (or code), with the one line allowed to name each.</summary>
    private static readonly (Regex Sink, string? AllowedIn)[] Sinks =
    [
        (new(@"\.(innerHTML|outerHTML)\s*[+]?="), null),
        (new(@"insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc"), null),
        (new(@"\beval\s*\(|new\s+Function\s*\(|set(Timeout|Interval)\s*\(\s*['""`]"), null),
        (new(@"\.bindPopup\s*\(|\.setPopupContent\s*\(|\.setTooltipContent\s*\(|\.setContent\s*\("), null),
        (new(@"\.bindTooltip\s*\("), "map.js"), // only bindTextTooltip, which passes a DOM node
        (new(@"\bhtml\s*:\s*['""`]"), null), // divIcon({ html: '<…>' })
        (new(@"setAttribute\(\s*['""](style|on\w+)['""]"), null),
    ];

    public static TheoryData<string> Scripts() =>
        new(Directory.GetFiles(Path.Combine(WebRoot, "js"), "*.js").Append(Path.Combine(WebRoot, "sw.js")).Select(Path.GetFileName)!);

    public static TheoryData<string> HtmlFiles() => new(Directory.GetFiles(WebRoot, "*.html").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_NeverTurnsAStringIntoHtml(string file)
    {
        var path = File.Exists(Path.Combine(WebRoot, "js", file)) ? Path.Combine(WebRoot, "js", file) : Path.Combine(WebRoot, file);
        var found = File.ReadLines(path)
            .Select((line, i) => (Line: line, Number: i + 1))
            .Where(l => !l.Line.TrimStart().StartsWith("//", StringComparison.Ordinal) && !l.Line.TrimStart().StartsWith('*'))
            .SelectMany(l => Sinks.Where(s => s.Sink.IsMatch(l.Line) && s.AllowedIn != file).Select(_ => $"{file}:{l.Number}: {l.Line.Trim()}"))
            .Where(l => !l.Contains("name === 'innerHTML'", StringComparison.Ordinal)) // dom.el's own refusal
            .ToList();

        Assert.True(found.Count == 0, "Strings reach an HTML sink (build elements with dom.el / bindTextTooltip):\n" + string.Join('\n', found));
    }

    [Theory]
    [MemberData(nameof(HtmlFiles))]
    public void HtmlFile_HoldsNothingTheCspBlocks(string file)
    {
        var html = File.ReadAllText(Path.Combine(WebRoot, file));

        var found = InlineScript().Matches(html).Select(m => m.Value)
            .Concat(StyleElementOrAttribute().Matches(html).Select(m => m.Value))
            .Concat(EventHandlerAttribute().Matches(html).Select(m => m.Value))
            .Concat(ForeignSource().Matches(html).Select(m => m.Value))
            .ToList();

        Assert.True(found.Count == 0, $"{file} holds what the Content-Security-Policy blocks:\n" + string.Join('\n', found));
    }

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<style\b[^>]*>|\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleElementOrAttribute();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandlerAttribute();

    [GeneratedRegex(@"\b(src|href)\s*=\s*[""']?(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ForeignSource();
}
