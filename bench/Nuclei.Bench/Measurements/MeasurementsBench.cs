using Nuclei.Bench.PostProcessing;
using Nuclei.Core.Configuration;
using Nuclei.Core.Data;
using Nuclei.Core.Measurements;
using Nuclei.Torch.Training;

namespace Nuclei.Bench.Measurements;

/// <summary>
/// `measurements prepare DATA OUT COUNT`: the first COUNT validation images of a seeded training split (the
/// configuration's cv_ratio / cv_seed, as `nuclei train` draws it), each written as OUT/&lt;id&gt;/labels.npy,
/// image_ch&lt;k&gt;.npy (floats as our reader sees them) and ours.csv (our measurements), for
/// bench/python/measurements_skimage.py to compare with scikit-image's regionprops.
/// </summary>
public static class MeasurementsBench
{
    public static int Run(string[] args)
    {
        if (args.ElementAtOrDefault(0) != "prepare" || args.Length < 4)
        {
            Console.Error.WriteLine("usage: measurements prepare DATA OUT COUNT");
            return 2;
        }
        var config = ConfigurationLoader.Defaults();
        var split = TrainingData.Choose(args[1], config, csv: null);
        var samples = split.Valid.Take(int.Parse(args[3])).ToList();
        long nuclei = 0;
        foreach (var sample in samples)
        {
            var loaded = DsbDataset.Load(sample);
            string dir = Path.Combine(args[2], sample.Id);
            Directory.CreateDirectory(dir);
            var labels = loaded.Labels;
            Npy.Write(Path.Combine(dir, "labels.npy"), labels.Data, labels.Height, labels.Width);
            var image = loaded.Image;
            for (int c = 0; c < image.Channels; c++)
            {
                var plane = new float[image.PixelCount];
                for (int p = 0; p < plane.Length; p++) plane[p] = image.Data[p * image.Channels + c];
                Npy.Write(Path.Combine(dir, $"image_ch{c + 1}.npy"), plane, image.Height, image.Width);
            }
            var measured = RegionMeasurer.Measure(labels, image);
            nuclei += measured.Count;
            MeasurementsCsv.Write(Path.Combine(dir, "ours.csv"), new[] { (sample.Id, measured) }, pixelSizeUm: null);
        }
        Console.WriteLine($"prepared {samples.Count} validation images ({nuclei} nuclei) in {args[2]}");
        return 0;
    }
}
