using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data;

/// <summary>
/// An image with its instance label map (0 = background, 1..N nuclei; for DSB masks, label k is the k-th
/// non-empty mask file in ordinal name order). <see cref="OverlapPixels"/> counts pixels claimed by more than
/// one mask (the later mask wins); <see cref="EmptyMasks"/> counts mask files with no foreground (skipped).
/// </summary>
internal sealed record LoadedSample(string Id, FloatImage Image, LabelImage Labels, int OverlapPixels = 0, int EmptyMasks = 0);
