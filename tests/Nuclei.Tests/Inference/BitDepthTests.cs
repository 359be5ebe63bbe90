using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;
using OpenCvSharp;

namespace Nuclei.Tests.Inference;

/// <summary>The same scene stored at another bit depth must give the same nuclei (per-image percentile normalisation).</summary>
public class BitDepthTests
{
    [SkippableFact]
    public void Eight_twelve_and_sixteen_bit_copies_give_the_same_counts()
    {
        string? model = DefaultModel.Locate(TestData.RepoRoot);
        Skip.If(model is null, "models/default.nck not present");
        string normalize = CheckpointModels.SettingsOf(model!).GetString("pre", "normalize");
        Skip.If(normalize != "percentile", $"the bundled model normalises by '{normalize}', not per-image percentiles");
        string sample = Path.Combine(TestData.SamplesDir, "55ff2b0ec48b76e10c7ee18add5794005cd551697f96af865c763d50da78dd9c", "images",
            "55ff2b0ec48b76e10c7ee18add5794005cd551697f96af865c763d50da78dd9c.png");
        string dir = Directory.CreateTempSubdirectory("nuclei-bits-").FullName;
        try
        {
            using var gray8 = Cv2.ImRead(sample, ImreadModes.Grayscale);
            var paths = new Dictionary<string, string>
            {
                ["8-bit"] = Save(dir, "8.png", gray8, 1.0),
                ["12-bit in 16"] = Save(dir, "12.png", gray8, 4095.0 / 255.0),
                ["16-bit"] = Save(dir, "16.png", gray8, 65535.0 / 255.0),
            };
            using var predictor = new Predictor([CheckpointModels.Load(model!)]);
            using var segmenter = new ModelSegmenter(predictor, CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(model!)));
            var counts = paths.ToDictionary(kv => kv.Key, kv => segmenter.Segment(ImageIO.ReadImage(kv.Value)).MaxLabel());
            int reference = counts["8-bit"];
            Assert.True(reference > 5, $"8-bit copy: {reference} nuclei");
            foreach (var (name, n) in counts)
                Assert.True(Math.Abs(n - reference) <= 0.05 * reference, $"{name}: {n} nuclei vs {reference} for the 8-bit copy");
        }
        finally { Directory.Delete(dir, true); }
    }

    static string Save(string dir, string name, Mat gray8, double scale)
    {
        string path = Path.Combine(dir, name);
        using var converted = new Mat();
        gray8.ConvertTo(converted, scale == 1.0 ? MatType.CV_8UC1 : MatType.CV_16UC1, scale);
        Cv2.ImWrite(path, converted);
        return path;
    }
}
