namespace Nuclei.Core.Data;

/// <summary>
/// A folder written in full before it appears: the content goes to a hidden sibling of the target, which is then
/// renamed to the target (atomic within one file system), so readers never see a half-written dataset.
/// </summary>
internal static class StagingFolder
{
    /// <summary>Stops with an input error when <paramref name="target"/> exists: these outputs go to a new folder and never overwrite.</summary>
    public static void RequireNew(string target)
    {
        if (Directory.Exists(target) || File.Exists(target))
            throw new NucleiInputException(target, "already exists; this command writes a new folder and never overwrites");
    }

    /// <summary>Creates the staging folder for <paramref name="target"/> (which must not exist) and returns its path.</summary>
    public static string Create(string target)
    {
        RequireNew(target);
        string full = Path.GetFullPath(target);
        string parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full))!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(Path.TrimEndingDirectorySeparator(full))}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(staging);
        return staging;
    }

    public static void Publish(string staging, string target) => Directory.Move(staging, Path.GetFullPath(target));

    /// <summary>Creates the staging folder, lets <paramref name="fill"/> write into it, and publishes it as <paramref name="target"/>; on failure nothing appears.</summary>
    public static T Build<T>(string target, Func<string, T> fill)
    {
        string staging = Create(target);
        try
        {
            T result = fill(staging);
            Publish(staging, target);
            return result;
        }
        finally { Discard(staging); }
    }

    /// <summary>Removes the staging folder if it is still there (the work failed before <see cref="Publish"/>).</summary>
    public static void Discard(string staging)
    {
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
    }
}
