using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Outreach.Accounts;
using Outreach.Model;
using Outreach.Volunteers;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;

namespace Outreach.Web.Accounts;

/// <summary>Body of <c>POST /api/accounts</c>.</summary>
public sealed record CreateAccountRequest(
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9._-]{2,31}$",
        ErrorMessage = "A login is 3 to 32 letters, digits, '.', '_' or '-', starting with a letter.")] string Login,
    [Required, StringLength(128, MinimumLength = 8)] string Password,
    [Required, StringLength(64, MinimumLength = 1)] string Name,
    [Required, MinLength(1)] string[] Roles,
    Guid? VolunteerId = null);

/// <summary>Creating logins (administrators only).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization(Policies.Admin)
            .MapPost("/", Create);
        return app;
    }

    private static async Task<Results<Created<CreatedId>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAccountRequest request, IGrainFactory grains, IPasswordHasher<Account> hasher)
    {
        var unknown = request.Roles.Where(r => !Roles.All.Contains(r)).ToArray();
        if (unknown.Length > 0)
        {
            return Problems.Field("roles", $"Unknown role(s): {string.Join(", ", unknown)}. Roles are: {string.Join(", ", Roles.All)}.");
        }
        var isVolunteer = request.Roles.Contains(Roles.Volunteer);
        if (isVolunteer != request.VolunteerId.HasValue)
        {
            return Problems.Field("volunteerId", isVolunteer ? "A volunteer account needs the volunteerId it acts for." : "Only a volunteer account has a volunteerId.");
        }
        if (request.VolunteerId is { } volunteerId && await grains.GetGrain<IVolunteerGrain>(volunteerId).GetAsync() is null)
        {
            return Problems.Field("volunteerId", $"No volunteer {volunteerId}.");
        }

        var draft = new Account(Guid.NewGuid(), request.Login.Trim(), request.Name.Trim(), request.Roles.Distinct().ToArray(), "", request.VolunteerId);
        var account = draft with { PasswordHash = hasher.HashPassword(draft, request.Password) };
        if (!await grains.GetGrain<IAccountGrain>(AccountKeys.For(account.Login)).CreateAsync(account))
        {
            return Problems.Conflict("Login exists.", $"The login '{account.Login}' is already taken.");
        }
        return TypedResults.Created($"/api/accounts/{account.Id}", new CreatedId(account.Id));
    }
}
