namespace Nuclei.Torch.Checkpoints;

/// <summary>
/// What a checkpoint was adapted to by self-training (<see cref="Nuclei.Torch.Adaptation.ModelAdaptation"/>): the
/// model it started from, the unlabelled images (how many, where, a digest of their ids), the minutes of fine-tuning,
/// and the self-consistency (plain vs test-time-augmented segmentation) before and after, which the adaptation did not
/// let fall.
/// </summary>
/// <param name="From">file name of the checkpoint adapted</param>
/// <param name="Images">images given</param>
/// <param name="ImagesTrained">images that kept enough confident, stable nuclei to train on</param>
/// <param name="NucleiKept">pseudo-labelled nuclei trained on</param>
/// <param name="Source">the images' folder, or "N folders"</param>
/// <param name="IdsSha256">SHA-256 (hex, first 16 digits) of the sorted image ids, one per line</param>
/// <param name="Method">fine-tune, batch-norm or both (records written before methods existed were fine-tuned)</param>
internal sealed record AdaptationRecord(DateTime AdaptedUtc, string From, int Images, int ImagesTrained, int NucleiKept, string Source,
    string IdsSha256, double Minutes, double AgreementBefore, double AgreementAfter, string Method = "fine-tune");
