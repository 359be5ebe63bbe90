using Nuclei.Core.Output;
using Nuclei.Server.Engine;

namespace Nuclei.Server.Downloads;

/// <summary>
/// provenance.json of a training set of corrections (snake_case): which tool and model made the labels the user
/// corrected, which images were corrected, how many nuclei before and after, and when.
/// </summary>
/// <param name="NotIncluded">the session's images without saved corrections, left out</param>
internal sealed record TrainingSetProvenance(
    string Tool, string ToolVersion, DateTimeOffset CreatedUtc, ProvenanceModel Model, IReadOnlyList<ProvenanceImage> Images, IReadOnlyList<string> NotIncluded)
{
    public const string FileName = "provenance.json";

    public static string Version => Nuclei.Core.Output.ToolVersion.Current;
}

/// <summary>The engine as the page shows it, and its checkpoint files by name (not by path: the zip may be shared) and SHA-256.</summary>
internal sealed record ProvenanceModel(string Description, IReadOnlyList<ProvenanceModelFile> Files)
{
    public static ProvenanceModel Of(ISegmentationEngine engine) =>
        new(engine.Description, engine.ModelFiles.Select(f => new ProvenanceModelFile(Path.GetFileName(f.Path), f.Sha256)).ToList());
}

internal sealed record ProvenanceModelFile(string Name, string Sha256);

/// <summary>One corrected image of the set.</summary>
/// <param name="Id">its sample folder, <c>&lt;id&gt;/images/&lt;id&gt;.png</c> and <c>&lt;id&gt;/masks/</c></param>
/// <param name="Picture">how the PNG's samples relate to the image the model segmented</param>
/// <param name="Channel">the channel segmented, as the upload chose it (null: none chosen)</param>
/// <param name="Z">the z projection (null: none)</param>
/// <param name="Diameter">the diameter the upload was rescaled by for prediction (null: none)</param>
internal sealed record ProvenanceImage(
    string Id, int Width, int Height, string Picture, string? Channel, string? Z, string? Diameter, Thresholds Thresholds,
    int CountBefore, int CountAfter, DateTimeOffset CorrectedUtc);
