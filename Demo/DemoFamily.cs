using Outreach.Files;

namespace Outreach.Demo;

/// <summary>A demo family service file (家庭服务档案) and the key of its worker grain.</summary>
public sealed record DemoFamily(Guid Id, WorkerFileInput File);
