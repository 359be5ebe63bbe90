using System.Collections.Concurrent;
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
public sealed class NucleusSizeHints(LearnedDiameters learned)
{
    const int Examples = 3;
    readonly ConcurrentQueue<(string Image, double Diameter)> outside = new();

    /// <summary>Notes <paramref name="image"/> (its id) when the median diameter of <paramref name="labels"/> is outside the learned range.</summary>
    public void Check(string image, LabelImage labels)
    {
        if (NucleusSize.MedianDiameter(labels) is double d && !learned.Covers(d)) outside.Enqueue((image, d));
    }

    /// <summary>The warning, or null when every image's nuclei were of a learned size.</summary>
    public string? Message()
    {
        if (outside.IsEmpty) return null;
        var examples = outside.OrderBy(o => o.Image, StringComparer.Ordinal).Take(Examples)
            .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Image}: {o.Diameter:0.#} px"));
        return $"{outside.Count} image(s) have nuclei outside the {learned.SizeRange} this model segments as they are (median diameter found; " +
               $"{string.Join(", ", examples)}{(outside.Count > Examples ? ", ..." : "")}): --diameter auto rescales such images";
    }
}
