using System.Globalization;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;

namespace Nuclei.Bench.Generalisation;

/// <summary>
/// `rescale-set SRC DST FACTOR`: a copy of an annotated folder with every image and label map rescaled by FACTOR
/// (images by area/bilinear interpolation, labels nearest), written as DST/&lt;id&gt;.png + DST/&lt;id&gt;.labels.png,
/// so that segmenting it tells how a model copes with nuclei at another scale than its training images.
/// </summary>
public static class RescaledSet
{
    public static int Run(string[] args)
    {
        if (args.Length != 3 || !double.TryParse(args[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double factor) || factor <= 0)
        {
            Console.Error.WriteLine("usage: rescale-set SRC DST FACTOR");
            return 2;
        }
        Directory.CreateDirectory(args[1]);
        int n = 0;
        foreach (var sample in DsbDataset.Scan(args[0]).Samples.Where(s => s.HasAnnotation))
        {
            var loaded = DsbDataset.Load(sample);
            var (h, w) = Resampling.ScaledSize(loaded.Image.Height, loaded.Image.Width, factor);
            ImageIO.WriteImage8(Path.Combine(args[1], sample.Id + ".png"), Resampling.Resize(loaded.Image, h, w));
            ImageIO.WriteLabels(Path.Combine(args[1], sample.Id + DsbDataset.LabelsSuffix + ".png"), Resampling.Resize(loaded.Labels, h, w));
            n++;
        }
        Console.WriteLine($"rescaled {n} annotated image(s) by {factor.ToString(CultureInfo.InvariantCulture)} into {args[1]}");
        return 0;
    }
}
