namespace Outreach.Files;

/// <summary>A worker's family service file (家庭服务档案); key: the worker id.</summary>
[Alias("Outreach.IWorkerGrain")]
public interface IWorkerGrain : IGrainWithGuidKey
{
    /// <summary>The file, or null when none was created under this id.</summary>
    [Alias("Get")]
    Task<WorkerFile?> GetAsync();

    /// <summary>Creates the file; null when one already exists under this id (its index and directory lines are then written again).</summary>
    [Alias("Create")]
    Task<WorkerFile?> CreateAsync(WorkerFileInput input, string[] normalizedPhones, string actor);

    /// <summary>Replaces the file's content; null when there is no file under this id.</summary>
    [Alias("Update")]
    Task<WorkerFile?> UpdateAsync(WorkerFileInput input, string[] normalizedPhones, string actor);
}
