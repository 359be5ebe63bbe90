using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Describing;

/// <summary>What <c>nuclei data describe</c> records about one image: size, kind, and the area of each nucleus.</summary>
internal sealed record ImageFacts(string Id, int Height, int Width, string Kind, int[] NucleusAreas)
{
    /// <summary>The acquisition an image belongs to: same kind and same size (e.g. <c>fluorescence-256x256</c>).</summary>
    public string Acquisition => AcquisitionOf(Kind, Height, Width);

    public static string AcquisitionOf(string kind, int height, int width) => $"{kind}-{height}x{width}";

    /// <summary>Reads the image and its annotation (no annotation: no nuclei).</summary>
    public static ImageFacts Of(AnnotatedSample sample)
    {
        FloatImage image;
        int[] areas = Array.Empty<int>();
        if (sample.HasAnnotation)
        {
            var loaded = DsbDataset.Load(sample); // decodes the image too, so it is read once
            image = loaded.Image;
            areas = AreasOf(loaded.Labels);
        }
        else image = ImageIO.ReadImage(sample.ImagePath);
        return new ImageFacts(sample.Id, image.Height, image.Width, ImageKind.Of(image), areas);
    }

    static int[] AreasOf(LabelImage labels)
    {
        int max = labels.MaxLabel();
        var count = new int[max + 1];
        foreach (int v in labels.Data) count[v]++;
        return count.Skip(1).Where(a => a > 0).ToArray();
    }
}
