using Nuclei.Server.Engine;

namespace Nuclei.Server.Api;

/// <summary>
/// The command that fine-tunes the server's model on an unzipped training set of corrections, for the page to show
/// (the server never trains): the first checkpoint file as <c>train.init_from</c>, five minutes of training.
/// </summary>
internal static class RetrainCommandLine
{
    public const string Folder = "nuclei-training-set", Run = "runs/corrected", Placeholder = "MODEL.nck";
    public const int Minutes = 5;

    public static string For(ISegmentationEngine engine) =>
        $"nuclei train --data {Folder} --out {Run} train.init_from={Quoted(engine.ModelFiles.FirstOrDefault()?.Path ?? Placeholder)} train.time_budget_minutes={Minutes} train.freeze_batch_norm=True";

    /// <summary>How to unzip the downloaded set into <see cref="Folder"/>.</summary>
    public static string Unzip => $"unzip {Downloads.TrainingSet.ZipName} -d {Folder}";

    static string Quoted(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '\\' or ';' or '&' or '|')
        ? "'" + path.Replace("'", "'\\''") + "'"
        : path;
}
