namespace Outreach.Tests.Infrastructure;

/// <summary>Where the built silo and web host are, relative to the test assembly.</summary>
public static class RepoPaths
{
    /// <summary>The folder that holds Outreach.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string SiloDll => Built("Silo", "Outreach.Silo.dll");

    public static string WebDll => Built("Web", "Outreach.Web.dll");

    public static string WebContentRoot => Path.Combine(Root, "Web");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution ({Configuration}) before running the tests.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Outreach.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Outreach.sln not found above " + AppContext.BaseDirectory);
    }
}
