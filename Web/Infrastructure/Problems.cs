using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Outreach.Web.Infrastructure;

/// <summary>The ProblemDetails answers the endpoints share.</summary>
public static class Problems
{
    /// <summary>404 saying what was not found.</summary>
    public static NotFound<ProblemDetails> NotFound(string detail) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Not found.",
        Detail = detail,
    });

    /// <summary>400 naming one field and what is wrong with it.</summary>
    public static ValidationProblem Field(string field, string message) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");

    /// <summary>409 with a reason.</summary>
    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
