namespace Nuclei.Torch.Checkpoints;

/// <summary>
/// A checkpoint's score on whole annotated images, segmented as `nuclei segment` does with the post-processing the
/// checkpoint carries (measured by `nuclei tune`): the figure to quote for the model, with what measured it and when.
/// The in-training validation score (<see cref="CheckpointInfo.ValidationScore"/>) is another measurement (centre crops,
/// the thresholds of the run), made to choose best.nck.
/// </summary>
internal sealed record ModelEvaluation
{
    /// <summary>DSB2018 mean AP over the images.</summary>
    public double MeanAp { get; init; }
    /// <summary>Mean AP per kind of image (fluorescence, colour-bright, grey-bright).</summary>
    public IReadOnlyDictionary<string, double> ByKind { get; init; } = new Dictionary<string, double>();
    /// <summary>The mean over kinds (what `tune` chooses thresholds by).</summary>
    public double KindMean { get; init; }
    public int Images { get; init; }
    /// <summary>The command that measured it, as typed (paths as given).</summary>
    public string Command { get; init; } = "";
    public DateTime MeasuredUtc { get; init; }
}
