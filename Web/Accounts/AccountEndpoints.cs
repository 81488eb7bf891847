using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Outreach.Accounts;
using Outreach.Model;
using Outreach.Volunteers;
using Outreach.Web.Auth;
using Outreach.Web.Infrastructure;
using Outreach.Cluster;

namespace Outreach.Web.Accounts;

/// <summary>
/// Listing and creating logins, disabling and enabling them, setting a new password and ending every session of a
/// login (administrators only). New passwords pass <see cref="PasswordPolicy"/>. Disabling, a new password and
/// logging out everywhere give the account a new security stamp, which ends its sessions on every web node.
/// </summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        accounts.MapPost("/", Create);
        accounts.MapGet("/", async (AccountList list) => TypedResults.Ok(await list.ListAsync()));
        accounts.MapGet("/{login}", Get);
        accounts.MapPost("/{login}/disable", (string login, ClaimsPrincipal user, IGrainFactory grains, AccountStatus status) =>
            SetDisabledAsync(login, disabled: true, user, grains, status));
        accounts.MapPost("/{login}/enable", (string login, ClaimsPrincipal user, IGrainFactory grains, AccountStatus status) =>
            SetDisabledAsync(login, disabled: false, user, grains, status));
        accounts.MapPost("/{login}/password", SetPassword);
        accounts.MapPost("/{login}/logout-everywhere", LogoutEverywhere);
        return app;
    }

    private static async Task<Results<Ok<AccountView>, NotFound<ProblemDetails>>> Get(string login, IGrainFactory grains) =>
        await grains.GetGrain<IAccountGrain>(AccountKeys.For(login)).GetAsync() is { } account
            ? TypedResults.Ok(AccountView.Of(account))
            : Problems.NotFound($"There is no login '{login}'.");

    /// <summary>A disabled login cannot sign in, and its sessions end at their next request on every web node.</summary>
    private static async Task<Results<Ok<AccountView>, NotFound<ProblemDetails>, ProblemHttpResult>> SetDisabledAsync(
        string login, bool disabled, ClaimsPrincipal user, IGrainFactory grains, AccountStatus status)
    {
        var grain = grains.GetGrain<IAccountGrain>(AccountKeys.For(login));
        if (await grain.GetAsync() is not { } account)
            return Problems.NotFound($"There is no login '{login}'.");
        if (disabled && account.Id == user.AccountId())
            return Problems.Conflict("Cannot disable yourself.", "An administrator cannot disable their own login.");
        // Already so: a retry after a 503 whose write had landed; what followed the write is done again.
        var saved = account.Disabled == disabled
            ? await grain.SettleAsync() ?? account
            : await grain.UpsertAsync(account with { Disabled = disabled });
        status.Forget(login);
        return TypedResults.Ok(AccountView.Of(saved));
    }

    private static async Task<Results<Ok<AccountView>, NotFound<ProblemDetails>, ValidationProblem>> SetPassword(
        string login, SetPasswordRequest request, IGrainFactory grains, IPasswordHasher<Account> hasher)
    {
        var grain = grains.GetGrain<IAccountGrain>(AccountKeys.For(login));
        if (await grain.GetAsync() is not { } account)
            return Problems.NotFound($"There is no login '{login}'.");
        if (PasswordPolicy.Refusal(account.Login, request.Password) is { } refusal)
            return Problems.Field("password", refusal);
        var saved = await grain.UpsertAsync(account with { PasswordHash = hasher.HashPassword(account, request.Password) });
        return TypedResults.Ok(AccountView.Of(saved));
    }

    /// <summary>Ends every session of the login on every web node (a new security stamp); it can sign in again.</summary>
    private static async Task<Results<NoContent, NotFound<ProblemDetails>>> LogoutEverywhere(string login, IGrainFactory grains) =>
        await grains.GetGrain<IAccountGrain>(AccountKeys.For(login)).EndSessionsAsync() is null
            ? Problems.NotFound($"There is no login '{login}'.")
            : TypedResults.NoContent();

    private static async Task<Results<Created<CreatedId>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAccountRequest request, IGrainFactory grains, IPasswordHasher<Account> hasher)
    {
        if (PasswordPolicy.Refusal(request.Login, request.Password) is { } refusal)
        {
            return Problems.Field("password", refusal);
        }
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
        if (request.VolunteerId is { } volunteerId && await grains.Get<IVolunteerGrain>(volunteerId).GetAsync() is null)
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
