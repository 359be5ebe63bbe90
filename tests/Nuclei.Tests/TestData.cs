namespace Nuclei.Tests;

/// <summary>Where tests find their data: the samples shipped in the repo, and the shared DSB2018 training set when present.</summary>
public static class TestData
{
    /// <summary>The repository root (the folder holding Nuclei.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SamplesDir => Path.Combine(RepoRoot, "samples");

    /// <summary>../shared/data/dsb2018/stage1_train beside the repo, or NUCLEI_STAGE1_TRAIN when set.</summary>
    public static string Stage1TrainDir =>
        Environment.GetEnvironmentVariable("NUCLEI_STAGE1_TRAIN")
        ?? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "dsb2018", "stage1_train"));

    /// <summary>Skips the calling [SkippableFact] with a clear message when the shared training data is absent.</summary>
    public static string RequireStage1Train()
    {
        string dir = Stage1TrainDir;
        Skip.IfNot(Directory.Exists(dir), $"shared DSB2018 training data not found at {dir} (set NUCLEI_STAGE1_TRAIN); skipped");
        return dir;
    }

    static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Nuclei.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find Nuclei.sln above " + AppContext.BaseDirectory);
    }
}
