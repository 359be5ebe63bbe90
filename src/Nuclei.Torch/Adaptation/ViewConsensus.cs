using Nuclei.Core.Data;
using Nuclei.Core.Data.PseudoLabels;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// Pseudo-labels a model agrees with itself on: the nuclei of its test-time-augmented segmentation that are confident
/// (mean body probability, <see cref="NucleusConfidence"/>) and stable (the plain segmentation finds them too,
/// <see cref="StableNuclei"/>). Self-training on confident labels alone reinforces the model's own mistakes where it is
/// sure and wrong; asking two views to agree removes many of those (cf. consistency filtering in FixMatch and Noisy Student).
/// </summary>
internal static class ViewConsensus
{
    /// <param name="tta">the test-time-augmented segmentation</param>
    /// <param name="ttaBody">its body (semantic) probability map</param>
    /// <param name="plain">the plain segmentation of the same image</param>
    public static ViewPseudoLabel Label(InputImage image, LabelImage tta, FloatImage ttaBody, LabelImage plain, double confidence, double minIou)
    {
        var scores = NucleusConfidence.Of(tta, ttaBody);
        var stable = StableNuclei.Of(tta, plain, minIou);
        for (int l = 1; l < scores.Length; l++) if (!stable[l]) scores[l] = 0;   // unstable: never kept
        var kept = NucleusConfidence.KeepConfident(tta, scores, confidence);
        var ignored = new bool[tta.Data.Length];
        for (int i = 0; i < ignored.Length; i++) ignored[i] = tta.Data[i] > 0 && kept.Data[i] == 0;
        return new ViewPseudoLabel(image, kept, ignored, tta.MaxLabel(), kept.MaxLabel(), plain.MaxLabel(), ViewAgreement.Of(plain, tta));
    }
}
