using Nuclei.Core.Data.Describing;
using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Splitting;

/// <summary>An image to split: its id, its kind (the stratum) and its group (images of one group stay together).</summary>
internal sealed record SplitItem(string Id, string Kind, string Group)
{
    /// <summary>Reads the image to find its kind; the group is its acquisition (kind and size).</summary>
    public static SplitItem Of(AnnotatedSample sample)
    {
        var image = ImageIO.ReadImage(sample.ImagePath);
        string kind = ImageKind.Of(image);
        return new SplitItem(sample.Id, kind, ImageFacts.AcquisitionOf(kind, image.Height, image.Width));
    }
}
