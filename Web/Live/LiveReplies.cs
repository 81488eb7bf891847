using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Outreach.Contracts;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Live;

/// <summary>
/// How the live hub answers what the API would: the same statuses and bodies (<see cref="LiveReply"/>), a fault a retry
/// can cure as 503 with a wait, and nothing of the exception's text.
/// </summary>
public static class LiveReplies
{
    public static LiveReply Ok(object body) => new(StatusCodes.Status200OK, body);

    public static LiveReply Problem(ProblemDetails problem) =>
        new(problem.Status ?? StatusCodes.Status400BadRequest, problem);

    /// <summary>429: the account's window for this act is used up (the same window as the API's).</summary>
    public static LiveReply TooMany(TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new(StatusCodes.Status429TooManyRequests, new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests.",
            Detail = $"Too many requests of this kind; try again in {seconds} s.",
            Extensions = { ["retryAfterSeconds"] = seconds },
        }, seconds);
    }

    /// <summary>
    /// 400 naming each invalid field of <paramref name="body"/> by its JSON name — the data annotations of its properties
    /// and of a positional record's parameters, as the API's validation checks them — or null when it is valid.
    /// </summary>
    public static LiveReply? Invalid(object body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var rule in RulesOf.GetOrAdd(body.GetType(), FieldRule.Of))
        {
            var value = rule.Property.GetValue(body);
            string[] broken = [.. rule.Checks
                .Select(check => check.GetValidationResult(value, new ValidationContext(body) { MemberName = rule.Property.Name, DisplayName = rule.Field }))
                .Where(result => result != ValidationResult.Success)
                .Select(result => result!.ErrorMessage ?? $"{rule.Field} is not valid.")];
            if (broken.Length > 0)
                errors[rule.Field] = broken;
        }
        return errors.Count == 0 ? null : Fields(errors);
    }

    /// <summary>400 naming one field and what is wrong with it.</summary>
    public static LiveReply Field(string field, string message) =>
        Fields(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static LiveReply Fields(Dictionary<string, string[]> errors) => Problem(new ValidationProblemDetails(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
    });

    /// <summary>
    /// Runs an act; a fault a retry can cure (storage or cluster unreachable, see <see cref="TransientFaults"/>) is
    /// answered 503 with the API's <c>Retry-After</c>, anything else is the hub's own error (no detail leaves the node).
    /// </summary>
    public static async Task<LiveReply> RunAsync(Func<Task<LiveReply>> act, ILogger log, string method)
    {
        try
        {
            return await act();
        }
        catch (Exception e) when (TransientFaults.Find(e) is { } fault)
        {
            log.LogWarning("Live hub {Method} answered 503: {Reason}", method, fault.Message.Split('\n')[0].Trim());
            var seconds = (int)FaultExceptionHandler.RetryAfter.TotalSeconds;
            return new(StatusCodes.Status503ServiceUnavailable, new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable.",
                Detail = "The service could not reach its storage or cluster; nothing may have been saved. Try again shortly.",
            }, seconds);
        }
    }

    private static string JsonName(string member) =>
        member.Length == 0 ? member : string.Create(CultureInfo.InvariantCulture, $"{char.ToLowerInvariant(member[0])}{member[1..]}");

    /// <summary>Each body type's checks, found once (a position report arrives every few seconds from every phone).</summary>
    private static readonly ConcurrentDictionary<Type, FieldRule[]> RulesOf = new();

    /// <summary>A property with checks: its JSON name and its data annotations (and its positional record parameter's).</summary>
    private sealed record FieldRule(PropertyInfo Property, string Field, ValidationAttribute[] Checks)
    {
        public static FieldRule[] Of(Type type)
        {
            var parameters = type.GetConstructors().MaxBy(c => c.GetParameters().Length)?.GetParameters() ?? [];
            return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(property => new FieldRule(property, JsonName(property.Name), [.. property.GetCustomAttributes<ValidationAttribute>(inherit: true)
                    .Concat(parameters.FirstOrDefault(p => string.Equals(p.Name, property.Name, StringComparison.Ordinal))
                        ?.GetCustomAttributes<ValidationAttribute>() ?? [])]))
                .Where(rule => rule.Checks.Length > 0)];
        }
    }
}
