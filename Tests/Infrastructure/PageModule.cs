using System.Diagnostics;
using System.Text.Json;

namespace Outreach.Tests.Infrastructure;

/// <summary>A page script module (Web/wwwroot/js) imported by Node.js, for tests that hold it to the C#.</summary>
public static class PageModule
{
    /// <summary>
    /// Imports <c>js/<paramref name="file"/></c> as <c>m</c> and runs <paramref name="print"/>, a JavaScript expression
    /// over <c>m</c>; returns what it evaluates to, as JSON.
    /// </summary>
    public static JsonElement Read(string file, string print)
    {
        var path = Path.Combine(RepoPaths.WebContentRoot, "wwwroot", "js", file);
        var script = $"const m = await import(process.argv[1]);\nconsole.log(JSON.stringify({print}));";
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--input-type=module", "--eval", script, new Uri(path).AbsoluteUri })
            info.ArgumentList.Add(arg);
        using var node = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        var errors = node.StandardError.ReadToEndAsync();
        var output = node.StandardOutput.ReadToEnd();
        if (!node.WaitForExit(30_000))
        {
            node.Kill();
            throw new TimeoutException($"node did not print {file}'s exports within 30 s");
        }
        Assert.True(node.ExitCode == 0, $"node could not import {path} (exit {node.ExitCode}): {errors.Result}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
