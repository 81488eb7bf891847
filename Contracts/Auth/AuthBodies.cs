using System.ComponentModel.DataAnnotations;

namespace Outreach.Contracts;

/// <summary>Body of <c>POST /api/auth/login</c>.</summary>
public sealed record LoginRequest([Required, StringLength(64)] string Login, [Required, StringLength(128)] string Password);

/// <summary>Body of <c>POST /api/auth/password</c>: the user changes their own password.</summary>
public sealed record ChangePasswordRequest([Required, StringLength(128)] string CurrentPassword, [Required, StringLength(128)] string NewPassword);

/// <summary>
/// Optional body of <c>POST /api/auth/logout</c>: the push subscription of the browser logging out, forgotten with the
/// session (also when an earlier session of this browser subscribed it).
/// </summary>
public sealed record LogoutRequest(string? PushEndpoint = null);

/// <summary>Who is signed in.</summary>
public sealed record MeResponse(Guid Id, string Login, string Name, string[] Roles, Guid? VolunteerId);
