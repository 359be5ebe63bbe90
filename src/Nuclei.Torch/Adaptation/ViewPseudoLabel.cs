using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// One unlabelled image as the model sees it from two views: the nuclei of its test-time-augmented segmentation that are
/// confident and stable (<see cref="Kept"/>), the pixels of the others (<see cref="Ignored"/>), and how far the plain
/// and augmented segmentations agree.
/// </summary>
internal sealed record ViewPseudoLabel(InputImage Image, LabelImage Kept, bool[] Ignored, int Found, int KeptCount, int PlainCount, double Agreement)
{
    /// <summary>Whether the image is trained on: some nuclei kept, and not too many dropped (they would teach background).</summary>
    public bool Trainable(double minKeptShare) => KeptCount > 0 && KeptCount >= minKeptShare * Found;
}
