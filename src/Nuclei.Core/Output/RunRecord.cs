using System.Text.Json.Serialization;
using Nuclei.Core.Configuration;

namespace Nuclei.Core.Output;

/// <summary>
/// What made an output folder (<c>run.json</c>, see <see cref="RunRecordFile"/>): the tool and its version, the command
/// line, the model(s) with what identifies them, every setting in effect, when the run started and ended and what came
/// of its images; the runs into the folder before this one (an interrupted run resumed, other images added) are kept in
/// <see cref="EarlierRuns"/>, oldest first, so the folder says which settings made each of its label maps.
/// </summary>
/// <param name="Id">tells this run from others into the same folder, even at once</param>
/// <param name="Finished">null while the run goes on, or when it was killed</param>
/// <param name="Images">null while the run goes on</param>
internal sealed record RunRecord(
    string Id, string Tool, string ToolVersion, IReadOnlyList<string> CommandLine, string WorkingDirectory, DateTimeOffset Started, DateTimeOffset? Finished,
    IReadOnlyList<RunModel> Models, RunSettings Settings, RunImageCounts? Images = null)
{
    /// <summary>What the file is, for a reader that meets it alone.</summary>
    [JsonPropertyOrder(-2)]
    public string Format { get; init; } = RunRecordFile.Format;

    [JsonPropertyOrder(-1)]
    public int Version { get; init; } = 1;

    /// <summary>
    /// Which layer gave each of <see cref="Settings"/> its value, by the setting's name there: default, checkpoint, config
    /// (--config) or command line. Empty in a record written before run.json said so.
    /// </summary>
    public IReadOnlyDictionary<string, SettingSource> SettingSources { get; init; } = new Dictionary<string, SettingSource>();

    public IReadOnlyList<RunRecord> EarlierRuns { get; init; } = [];

    /// <summary>The image files this run wrote outputs for, each with its size and digest; empty while the run goes on.</summary>
    public IReadOnlyList<RunInput> Inputs { get; init; } = [];

    /// <summary>
    /// For a run whose images did not all share <see cref="Settings"/> (the web page's, where each image has its own
    /// thresholds, channel, z and diameter): each image, in the order of <see cref="Inputs"/>, with the settings it had
    /// that differ from <see cref="Settings"/>. Null for a `segment` run, whose images all had <see cref="Settings"/>.
    /// </summary>
    public IReadOnlyList<RunImageSettings>? ImageSettings { get; init; }
}

/// <summary>An input image file as a reader can check it (<c>sha256sum</c>, <c>stat</c>) against the file it has.</summary>
/// <param name="Path">full path; for the web page, the name of the uploaded file (the browser sends no path)</param>
/// <param name="Bytes">its size when the run finished</param>
/// <param name="Sha256">SHA-256 of the whole file, lowercase hex; null when it could no longer be read</param>
internal sealed record RunInput(string Path, long Bytes, string? Sha256)
{
    /// <summary>The file's size and digest now (it was read moments ago for segmenting; a file gone since gets no digest).</summary>
    public static RunInput Of(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            return new RunInput(full, stream.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RunInput(full, 0, null);
        }
    }
}

/// <summary>A model file a run segmented with, as a reader can check it against a file (<c>sha256sum</c>) and its training.</summary>
/// <param name="Path">the checkpoint (an ensemble description's member), full path</param>
/// <param name="Sha256">SHA-256 of the whole file, lowercase hex</param>
/// <param name="Weight">its weight in an ensemble (1 alone)</param>
/// <param name="Epoch">the training epoch it was saved at</param>
/// <param name="ValidationMeanAp">the in-training validation score, when measured</param>
/// <param name="Evaluation">its score on whole images with its post-processing, as `nuclei tune` recorded it in the checkpoint</param>
public sealed record RunModel(string Path, string Sha256, float Weight, int Epoch, DateTime SavedUtc, double? ValidationMeanAp, RunModelEvaluation? Evaluation);

/// <summary>A checkpoint's whole-image evaluation: mean AP over how many images, measured by which command, when.</summary>
public sealed record RunModelEvaluation(double MeanAp, int Images, string Command, DateTime MeasuredUtc);

/// <summary>What came of a run's images.</summary>
/// <param name="Planned">the images the run was given (each plane chosen with --channel/--z each counts)</param>
/// <param name="Written">segmented and written by this run</param>
/// <param name="Failed">failed (the reasons are in the run's messages and --json)</param>
/// <param name="Skipped">left as they were: an earlier run's outputs were complete (--resume)</param>
/// <param name="Nuclei">the nuclei of the images this run wrote</param>
/// <param name="RemovedOnEdges">the nuclei touching the image border removed by this run (null without --exclude-on-edges)</param>
internal sealed record RunImageCounts(int Planned, int Written, int Failed, int Skipped, long Nuclei, long? RemovedOnEdges = null);
