using Outreach.Files;

namespace Outreach.Demo;

/// <summary>A demo family service file (家庭服务档案) and the key of its family file grain.</summary>
public sealed record DemoFamily(Guid Id, FamilyFileInput File);
