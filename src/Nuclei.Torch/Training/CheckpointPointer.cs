using System.Text.Json;
using Nuclei.Core;
using Nuclei.Core.IO;

namespace Nuclei.Torch.Training;

/// <summary>
/// OUT/current.json names the latest complete checkpoint (samuelschen/DSB2018's current.json). It is rewritten
/// (atomically) only after that checkpoint file is fully in place, so a run killed at any moment — even
/// while writing a checkpoint — still points at an intact, resumable one.
/// </summary>
internal static class CheckpointPointer
{
    public const string FileName = "current.json";

    sealed record Pointer(string Checkpoint, int Epoch);

    public static void Write(string outDir, string checkpointPath, int epoch) =>
        AtomicFile.WriteAllText(Path.Combine(outDir, FileName),
            JsonSerializer.Serialize(new Pointer(Path.GetFileName(checkpointPath), epoch), new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>
    /// The checkpoint the pointer names, or null when there is no pointer. It must name a file of the run folder, as
    /// <see cref="Write"/> does (a bare file name): a pointer that leads elsewhere is refused, not followed.
    /// </summary>
    public static string? Read(string outDir)
    {
        string path = Path.Combine(outDir, FileName);
        if (!File.Exists(path)) return null;
        RegularFile.Require(path, "checkpoint pointer");
        Pointer? p;
        try { p = JsonSerializer.Deserialize<Pointer>(File.ReadAllText(path)); }
        catch (JsonException e) { throw new NucleiInputException(path, "not a valid checkpoint pointer: " + e.Message, e); }
        if (p?.Checkpoint is null) throw new NucleiInputException(path, "checkpoint pointer names no checkpoint");
        if (p.Checkpoint != Path.GetFileName(p.Checkpoint) || p.Checkpoint is "" or "." or ".." || p.Checkpoint.Any(char.IsControl))
            throw new NucleiInputException(path, $"names '{UntrustedText.Clean(p.Checkpoint, 200)}', which is not a file of this run folder");
        string ckpt = Path.Combine(outDir, p.Checkpoint);
        if (!File.Exists(ckpt)) throw new NucleiInputException(path, $"points at {p.Checkpoint}, which does not exist");
        return ckpt;
    }
}
