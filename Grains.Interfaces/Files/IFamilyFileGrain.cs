namespace Outreach.Files;

/// <summary>A worker's family service file (家庭服务档案); key: the worker id.</summary>
[Alias("Outreach.IWorkerGrain")]
public interface IFamilyFileGrain : IGrainWithGuidKey
{
    /// <summary>The file, or null when none was created under this id.</summary>
    [Alias("Get")]
    Task<FamilyFile?> GetAsync();

    /// <summary>Creates the file; null when one already exists under this id (its index and directory lines are then written again).</summary>
    [Alias("Create")]
    Task<FamilyFile?> CreateAsync(FamilyFileInput input, string[] normalizedPhones, string actor);

    /// <summary>Replaces the file's content; null when there is no file under this id.</summary>
    [Alias("Update")]
    Task<FamilyFile?> UpdateAsync(FamilyFileInput input, string[] normalizedPhones, string actor);
}
