using Nuclei.Cli.Batch;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Tests.Core;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Cli;

/// <summary>`segment` without --diameter says, once after the batch, which images have nuclei of sizes the model does not segment as they are.</summary>
public sealed class NucleusSizeHintTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-sizehint-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A label map with a 3×3 grid of discs of this diameter, 1.5 diameters apart.</summary>
    static LabelImage Discs(double diameter)
    {
        int step = (int)Math.Ceiling(diameter * 1.5), size = 3 * step;
        var labels = new LabelImage(size, size);
        int label = 0;
        for (int cy = step / 2; cy < size; cy += step)
            for (int cx = step / 2; cx < size; cx += step)
            {
                label++;
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= diameter * diameter / 4) labels.Data[y * size + x] = label;
            }
        return labels;
    }

    [Fact]
    public void Images_whose_nuclei_are_outside_the_learned_sizes_are_named_in_one_warning()
    {
        var hints = new NucleusSizeHints(new LearnedDiameters(20, 0.5, 2.0));   // 10-80 px
        hints.Check("medium.png", Discs(20));
        Assert.Null(hints.Message());
        hints.Check("small.png", Discs(6));
        hints.Check("large.png", Discs(90));
        string message = hints.Message()!;
        Assert.StartsWith("2 image(s) have nuclei outside the 10-80 px this model segments as they are", message);
        Assert.Contains("large.png: ", message);
        double small = NucleusSize.MedianDiameter(Discs(6))!.Value;   // the equivalent-circle diameter of the pixel disc
        Assert.Contains($"small.png: {small.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} px", message);
        Assert.EndsWith("--diameter auto rescales such images", message);
    }

    [Fact]
    public void Segment_warns_about_a_shrunk_sample_and_not_about_the_samples_as_they_are()
    {
        // nuclei of about 20 px, shrunk to about 8
        var sample = DsbDataset.Scan(TestData.SamplesDir).Samples.First(s => s.Id.StartsWith("55ff2b0e", StringComparison.Ordinal));
        var image = DsbDataset.Load(sample).Image;
        var (h, w) = Resampling.ScaledSize(image.Height, image.Width, 0.4);
        string shrunk = Path.Combine(dir, "shrunk.png");
        ImageIO.WriteImage8(shrunk, Resampling.Resize(image, h, w));

        var small = SamplesAndEvaluateTests.RunCli("segment", shrunk, "--out", Path.Combine(dir, "small"));
        Assert.True(small.Exit == 0, small.Err);
        Assert.Contains("warning: 1 image(s) have nuclei outside the", small.Err);
        Assert.Contains("--diameter auto rescales such images", small.Err);

        var native = SamplesAndEvaluateTests.RunCli("segment", TestData.SamplesDir, "--out", Path.Combine(dir, "native"));
        Assert.True(native.Exit == 0, native.Err);
        Assert.DoesNotContain("have nuclei outside", native.Err);

        var auto = SamplesAndEvaluateTests.RunCli("segment", shrunk, "--out", Path.Combine(dir, "auto"), "--diameter", "auto");
        Assert.True(auto.Exit == 0, auto.Err);
        Assert.DoesNotContain("have nuclei outside", auto.Err);   // asked for a diameter: nothing to hint
    }
}
