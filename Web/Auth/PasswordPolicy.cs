using System.Reflection;

namespace Outreach.Web.Auth;

/// <summary>
/// What a new password must be (account creation, a new password set by an administrator or by the user): at least
/// <see cref="MinLength"/> characters, not the login nor containing it (without case), and not one of the common
/// passwords shipped with the code (<c>Web/Auth/common-passwords.txt</c>, without case).
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;

    private static readonly HashSet<string> Common = Load();

    /// <summary>Why <paramref name="password"/> may not be used by <paramref name="login"/>, or null when it may.</summary>
    public static string? Refusal(string login, string password)
    {
        if (password.Length < MinLength)
            return $"A password has at least {MinLength} characters.";
        var name = login.Trim();
        if (name.Length > 0 && password.Contains(name, StringComparison.OrdinalIgnoreCase))
            return "A password must not be or contain the login.";
        if (Common.Contains(password))
            return "This password is too common; choose another.";
        return null;
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Outreach.Web.Auth.common-passwords.txt")
            ?? throw new InvalidOperationException("The list of common passwords is not embedded.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
                words.Add(line.Trim());
        }
        return words;
    }
}
