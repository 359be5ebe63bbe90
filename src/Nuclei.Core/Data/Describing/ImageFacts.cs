using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Describing;

/// <summary>What <c>nuclei data describe</c> records about one image: size, kind, and the area of each nucleus.</summary>
public sealed record ImageFacts(string Id, int Height, int Width, string Kind, int[] NucleusAreas)
{
    /// <summary>The acquisition an image belongs to: same kind and same size (e.g. <c>fluorescence-256x256</c>).</summary>
    public string Acquisition => AcquisitionOf(Kind, Height, Width);

    public static string AcquisitionOf(string kind, int height, int width) => $"{kind}-{height}x{width}";

    /// <summary>Reads the image and its annotation (no annotation: no nuclei).</summary>
    public static ImageFacts Of(AnnotatedSample sample)
    {
        var image = ImageIO.ReadImage(sample.ImagePath);
        int[] areas = Array.Empty<int>();
        if (sample.HasAnnotation)
        {
            var labels = DsbDataset.Load(sample).Labels;
            int max = labels.MaxLabel();
            var count = new int[max + 1];
            foreach (int v in labels.Data) count[v]++;
            areas = count.Skip(1).Where(a => a > 0).ToArray();
        }
        return new ImageFacts(sample.Id, image.Height, image.Width, ImageKind.Of(image), areas);
    }
}
