using Nuclei.Core.Settings;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Finds the bundled default model: $NUCLEI_MODEL when set, else <c>models/default.nck</c> (or the older
/// <c>models/default.ckpt</c>) in the folder of the executable or any folder above it (the repository).
/// </summary>
internal static class DefaultModel
{
    public const string EnvironmentVariable = "NUCLEI_MODEL";
    public static readonly string[] RelativePaths = { Path.Combine("models", "default.nck"), Path.Combine("models", "default.ckpt") };

    /// <summary>The path of the default model, or null when none is found.</summary>
    public static string? Locate(string? startDirectory = null)
    {
        string? fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        return Candidates(startDirectory).FirstOrDefault(File.Exists);
    }

    /// <summary>The one-line message for when <see cref="Locate"/> found nothing: every place it looked.</summary>
    public static SettingMessage NotFoundMessage(string? startDirectory = null)
    {
        string lookedIn = string.Join(", ", new[] { $"${EnvironmentVariable} (not set)" }.Concat(Candidates(startDirectory)));
        return SettingMessage.Of($"no {Setting.Model} given and the bundled default model was not found; looked in: {lookedIn}. Pass {Setting.Model} PATH, or use {Setting.Method} classical to segment without a network.");
    }

    /// <summary>The files tried, in order: models/default.* in the start folder (the executable's), then in each folder above it.</summary>
    static IEnumerable<string> Candidates(string? startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            foreach (string rel in RelativePaths)
                yield return Path.Combine(dir.FullName, rel);
    }
}
