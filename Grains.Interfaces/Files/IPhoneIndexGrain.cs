namespace Outreach.Files;

/// <summary>The family files that list one normalised phone number; key <c>phone:+8613800000000</c>.</summary>
[Alias("Outreach.IPhoneIndexGrain")]
public interface IPhoneIndexGrain : IGrainWithStringKey
{
    /// <summary>Records that the file lists this number.</summary>
    [Alias("Add")]
    Task AddAsync(Guid workerId);

    /// <summary>Records that the file no longer lists this number.</summary>
    [Alias("Remove")]
    Task RemoveAsync(Guid workerId);

    /// <summary>The files that list this number.</summary>
    [Alias("Get")]
    Task<Guid[]> GetAsync();
}
