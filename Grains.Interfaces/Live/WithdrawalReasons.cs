namespace Outreach.Live;

/// <summary>
/// Why an offer was withdrawn (<see cref="OfferWithdrawal.Reason"/>, the hub's <c>offerWithdrawn</c> and the push
/// payload's <c>reason</c>): a code, which the volunteer page says in the reader's language (<c>volunteer.withdrawn.{code}</c>).
/// </summary>
public static class WithdrawalReasons
{
    /// <summary>Another volunteer claimed it.</summary>
    public const string Taken = "taken";
    /// <summary>A coordinator assigned it to someone.</summary>
    public const string Assigned = "assigned";
    /// <summary>An operator or coordinator cancelled it.</summary>
    public const string Cancelled = "cancelled";
}
