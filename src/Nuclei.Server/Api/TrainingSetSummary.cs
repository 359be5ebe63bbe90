using Nuclei.Server.Downloads;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Api;

/// <summary>
/// What <c>GET /api/training-set</c> says (snake_case JSON): the session's saved corrections, which the zip at
/// <c>/api/training-set.zip</c> holds, and the commands that unzip it and fine-tune the model on it.
/// </summary>
/// <param name="Ensemble">the server segments with several checkpoints; the command fine-tunes the first</param>
internal sealed record TrainingSetSummary(IReadOnlyList<CorrectionSummary> Corrected, string Download, string Unzip, string RetrainCommand, bool Ensemble)
{
    public static TrainingSetSummary Of(IReadOnlyList<ImageEntry> entries, ISegmentationEngine engine) =>
        new(TrainingSet.Corrected(entries).Select(c => CorrectionSummary.Of(c.Entry, c.Result)).ToList(),
            "/api/training-set.zip", RetrainCommandLine.Unzip, RetrainCommandLine.For(engine), engine.ModelFiles.Count > 1);
}

