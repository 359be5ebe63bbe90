using System.Globalization;
using Nuclei.Core.Imaging;

namespace Nuclei.Cli.Batch;

/// <summary>
/// Images where the model found no nuclei, or implausibly few for what it calls foreground (the nuclei cover under
/// <see cref="NucleiCoverage.PlausibleShare"/> of a substantial semantic foreground): the sign of nuclei of a size or a
/// kind of image the model does not segment. After the batch, one warning names them and what to try.
/// Safe to add to from parallel work.
/// </summary>
internal sealed class FewNucleiHints
{
    public const string Advice = "try --diameter PX (their nucleus diameter in pixels), --tta, another --threshold, or a model fine-tuned on such images";

    readonly ImageListWarning images = new("have no nuclei or implausibly few for the foreground the model sees", Advice);

    /// <summary>Notes <paramref name="image"/> (its id) when <paramref name="labels"/> hold no nuclei, or too few for <paramref name="semantic"/>'s foreground.</summary>
    /// <param name="semantic">the semantic probability map at the labels' size (null: only an empty result is noted)</param>
    public void Check(string image, LabelImage labels, FloatImage? semantic)
    {
        if (semantic is null) { Check(image, labels.MaxLabel()); return; }
        var coverage = NucleiCoverage.Of(labels, semantic);
        if (coverage.Nuclei == 0) images.Add(image, "no nuclei");
        else if (coverage.TooLittle)
            images.Add(image, string.Create(CultureInfo.InvariantCulture, $"{coverage.Nuclei} nuclei covering {coverage.Fraction:0%} of the foreground"));
    }

    /// <summary>Notes an image segmented without maps (block-wise) when it holds no nuclei.</summary>
    public void Check(string image, int nuclei)
    {
        if (nuclei == 0) images.Add(image, "no nuclei");
    }

    /// <summary>The warning, or null when every image had plausibly many nuclei.</summary>
    public string? Message() => images.Message();
}
