using Microsoft.AspNetCore.Http;

namespace Outreach.Web.Infrastructure;

/// <summary>Every ProblemDetails carries a readable <c>detail</c>; validation problems list each field and why.</summary>
public static class ProblemDetailsSetup
{
    public static void Customize(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is HttpValidationProblemDetails validation && string.IsNullOrEmpty(validation.Detail))
        {
            validation.Detail = string.Join("; ", validation.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        }
        context.ProblemDetails.Extensions.Remove("exception");
    }
}
