using System.Globalization;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;

namespace Nuclei.Cli.Batch;

/// <summary>
/// Images segmented at their own scale (no --diameter) whose nuclei came out of a size the model does not segment as
/// they are (<see cref="LearnedDiameters"/>): after the batch, one warning says how many, with a few examples, and
/// points to --diameter auto, which rescales such images (as Cellpose asks for a diameter). Safe to add to from
/// parallel work.
/// </summary>
internal sealed class NucleusSizeHints(LearnedDiameters learned)
{
    readonly ImageListWarning images = new(
        $"have nuclei outside the {learned.SizeRange} this model segments as they are (median diameter found)",
        "--diameter auto rescales such images");

    /// <summary>Notes <paramref name="image"/> (its id) when the median diameter of <paramref name="labels"/> is outside the learned range.</summary>
    public void Check(string image, LabelImage labels)
    {
        if (NucleusSize.MedianDiameter(labels) is double d && !learned.Covers(d))
            images.Add(image, string.Create(CultureInfo.InvariantCulture, $"{d:0.#} px"));
    }

    /// <summary>The warning, or null when every image's nuclei were of a learned size.</summary>
    public string? Message() => images.Message();
}
