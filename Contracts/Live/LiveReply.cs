namespace Outreach.Contracts;

/// <summary>
/// The answer of a live-hub method that does what an API request does (<c>Claim</c>, <c>ReportPosition</c>): the HTTP
/// status the same request would have had and its body — the resource, or a ProblemDetails (with <c>errors</c> naming
/// the field for a 400) — and, for 429 and 503, the seconds to wait before trying again. The page turns a status of 400
/// or more into the same error as the API's.
/// </summary>
public sealed record LiveReply(int Status, object? Body, int? RetryAfterSeconds = null);
