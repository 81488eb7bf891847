using System.Reflection;
using Outreach.Tests.Infrastructure;
using Outreach.Web.Audit;

namespace Outreach.Tests.Unit;

/// <summary>Every audit action the server records has its label on the audit tab, in Chinese and in English.</summary>
[Category(TestCategory.Unit)]
public sealed class AuditLabelTests
{
    [Fact]
    public void EveryAuditAction_HasALabelInBothLanguages()
    {
        var texts = File.ReadAllText(Path.Combine(RepoPaths.Root, "Web", "wwwroot", "i18n", "coordinator.js"));
        var subjectKinds = new[] { AuditActions.File, AuditActions.Request, AuditActions.Map, AuditActions.Audit, AuditActions.Service };
        var actions = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Except(subjectKinds).ToArray();

        Assert.NotEmpty(actions);
        var unlabelled = actions.Where(a => CountOf(texts, $"'coordinator.audit.kind.{a}':") != 2).ToArray();
        Assert.True(unlabelled.Length == 0, "audit actions without a label in both languages: " + string.Join(", ", unlabelled));
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
