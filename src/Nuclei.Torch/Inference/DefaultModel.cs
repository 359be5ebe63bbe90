namespace Nuclei.Torch.Inference;

/// <summary>
/// Finds the bundled default model: $NUCLEI_MODEL when set, else <c>models/default.nck</c> (or the older
/// <c>models/default.ckpt</c>) in the folder of the executable or any folder above it (the repository).
/// </summary>
public static class DefaultModel
{
    public const string EnvironmentVariable = "NUCLEI_MODEL";
    public static readonly string[] RelativePaths = { Path.Combine("models", "default.nck"), Path.Combine("models", "default.ckpt") };

    /// <summary>The path of the default model, or null when none is found.</summary>
    public static string? Locate(string? startDirectory = null)
    {
        string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            foreach (string rel in RelativePaths)
            {
                string candidate = Path.Combine(dir.FullName, rel);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Where the default model is expected (for the message when it is missing).</summary>
    public static string ExpectedPath(string? startDirectory = null)
    {
        // the repository root is the first folder above the executable that holds models/ or .git
        for (var dir = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "models")) || Directory.Exists(Path.Combine(dir.FullName, ".git"))
                || File.Exists(Path.Combine(dir.FullName, ".git")))
                return Path.Combine(dir.FullName, RelativePaths[0]);
        return Path.Combine("models", "default.nck");
    }
}
