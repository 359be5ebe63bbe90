using Nuclei.Core;
using Nuclei.Torch.Checkpoints;

namespace Nuclei.Torch.Training;

/// <summary>The output folder of a run (OUT): the names of what a run writes there; checked writable before anything else.</summary>
public sealed class RunFolder
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

    /// <summary>--no-resume: forget the previous run's pointer and log (its checkpoints are overwritten as the new run reaches them).</summary>
    public void ClearRun()
    {
        foreach (string p in new[] { PathOf(CheckpointPointer.FileName), CsvLog, BestCheckpoint })
            if (File.Exists(p)) File.Delete(p);
        if (Directory.Exists(TensorBoard)) Directory.Delete(TensorBoard, recursive: true);
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
