using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Torch.Checkpoints;

namespace Nuclei.Torch.Training;

/// <summary>The output folder of a run (OUT): the names of what a run writes there; checked writable before anything else.</summary>
internal sealed class RunFolder
{
    public string Dir { get; }

    public RunFolder(string outDir)
    {
        Dir = Path.GetFullPath(outDir);
        EnsureWritable();
    }

    public string PathOf(string name) => Path.Combine(Dir, name);

    public string BestCheckpoint => PathOf("best" + Checkpoint.Extension);
    public string EpochCheckpoint(int epoch) => PathOf($"ckpt-{epoch}{Checkpoint.Extension}");
    public string CsvLog => PathOf("log.csv");
    public string LearningCurve => PathOf("learning_curve.png");
    public string TensorBoard => PathOf("tensorboard");

    /// <summary>
    /// Before anything is loaded or written: a folder holding a run is continued only with <see cref="ResumeMode.Resume"/>,
    /// and started afresh only with <see cref="ResumeMode.Fresh"/> (--overwrite), which moves the old run's files aside;
    /// otherwise it is refused, so that a rerun never silently resumes or replaces a run.
    /// </summary>
    public void Prepare(ResumeMode mode, Action<string> info)
    {
        RemoveStaleTemporaries(info);
        var previous = RunFiles().ToList();
        if (previous.Count == 0) return;
        if (mode == ResumeMode.Auto)
            throw new NucleiInputException(Dir, $"holds a training run ({string.Join(", ", previous.Take(4).Select(Path.GetFileName))}" +
                $"{(previous.Count > 4 ? ", ..." : "")}): give --resume to continue it, or --overwrite to start afresh (the old run's files are moved to {PreviousRunPrefix}<time>/), or another --out");
        if (mode == ResumeMode.Fresh) info($"--overwrite: the previous run's files were moved to {MoveAside(previous)}");
    }

    const string PreviousRunPrefix = "previous-run-";

    /// <summary>
    /// The temporaries of checkpoints and logs that killed runs left in OUT (<c>.ckpt-N.nck.PID.GUID.nuclei-tmp.nck</c>,
    /// tens of MB each) are removed, as <c>segment</c> removes its own; those of a run still writing into OUT are kept.
    /// </summary>
    void RemoveStaleTemporaries(Action<string> info)
    {
        int removed = TemporaryFiles.RemoveStale(Dir);
        if (removed > 0) info($"removed {removed} temporary file(s) that a killed run left in {Dir}");
    }

    /// <summary>The files and folders a run writes that are present (split.csv and config.ini alone do not make a run).</summary>
    IEnumerable<string> RunFiles()
    {
        string[] marks = [PathOf(CheckpointPointer.FileName), CsvLog, BestCheckpoint];
        if (marks.All(p => !File.Exists(p)) && !Directory.Exists(TensorBoard)
            && !Directory.EnumerateFiles(Dir, "ckpt-*" + Checkpoint.Extension).Any())
            return [];
        string[] others = [PathOf("config.ini"), PathOf("split.csv"), LearningCurve];
        return marks.Concat(others).Where(File.Exists)
            .Concat(Directory.EnumerateFiles(Dir, "ckpt-*" + Checkpoint.Extension).Order(StringComparer.Ordinal))
            .Concat(Directory.Exists(TensorBoard) ? [TensorBoard] : []);
    }

    /// <summary>--overwrite: the old run's own files go into a new OUT/previous-run-UTC/ (nothing is deleted); returns that folder.</summary>
    string MoveAside(IReadOnlyList<string> files)
    {
        string aside = PathOf(PreviousRunPrefix + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        if (Directory.Exists(aside)) aside += "-" + Guid.NewGuid().ToString("N")[..8];   // two runs in one second
        Directory.CreateDirectory(aside);
        foreach (string f in files)
        {
            string target = Path.Combine(aside, Path.GetFileName(f));
            if (Directory.Exists(f)) Directory.Move(f, target);
            else File.Move(f, target);
        }
        return aside;
    }

    /// <summary>An unwritable output folder is an error before any training starts.</summary>
    void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Dir);
            string probe = PathOf($".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NucleiInputException(Dir, "output folder is not writable: " + e.Message, e);
        }
    }
}
