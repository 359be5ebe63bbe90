using Nuclei.Cli.Batch;
using Nuclei.Core.Imaging;
using Nuclei.Tests.Core;
using Nuclei.Tests.PostProcessing;

namespace Nuclei.Tests.Cli;

/// <summary>`segment` warns, once after the batch, about images where the model found no nuclei or implausibly few for its foreground.</summary>
public sealed class FewNucleiHintTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-fewnuclei-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly (double Cy, double Cx, double R)[] Three = [(20, 20, 5), (20, 60, 5), (60, 40, 5)];

    static LabelImage Labelled(params (double Cy, double Cx, double R)[] discs)
    {
        var labels = new LabelImage(100, 100);
        for (int k = 0; k < discs.Length; k++)
        {
            var one = Shapes.Discs(100, 100, discs[k]);
            for (int i = 0; i < one.Length; i++) if (one[i]) labels.Data[i] = k + 1;
        }
        return labels;
    }

    static FloatImage Map(bool[] foreground) => new(100, 100, 1, Shapes.ToFloat(foreground));

    [Fact]
    public void Images_with_no_nuclei_or_few_for_their_foreground_are_named_in_one_warning()
    {
        var hints = new FewNucleiHints();
        hints.Check("good.png", Labelled(Three), Map(Shapes.Discs(100, 100, Three)));          // the nuclei are the foreground
        hints.Check("specks.png", Labelled(Three), Map(Shapes.Discs(100, 100, (2, 2, 1))));   // no substantial foreground
        Assert.Null(hints.Message());

        hints.Check("empty.png", new LabelImage(100, 100), Map(new bool[100 * 100]));
        hints.Check("few.png", Labelled(Three), Map(Enumerable.Repeat(true, 100 * 100).ToArray()));   // 3 nuclei, ~2 % of it
        hints.Check("big.tif", 0);                                                                   // block-wise: no maps
        hints.Check("big2.tif", 12);
        string message = hints.Message()!;
        Assert.StartsWith("3 image(s) have no nuclei or implausibly few for the foreground the model sees (big.tif: no nuclei; empty.png: no nuclei; few.png: 3 nuclei covering 2% of the foreground)", message);
        Assert.EndsWith(FewNucleiHints.Advice, message);
        Assert.Contains("--diameter PX", message);
        Assert.Contains("--tta", message);
        Assert.Contains("--threshold", message);
        Assert.Contains("fine-tuned", message);
    }

    [Fact]
    public void A_large_batch_gets_one_bounded_line()
    {
        var hints = new FewNucleiHints();
        for (int i = 0; i < 50; i++) hints.Check($"img{i:D2}.png", 0);
        string message = hints.Message()!;
        Assert.StartsWith("50 image(s) ", message);
        Assert.Contains("img04.png: no nuclei; ...", message);
        Assert.DoesNotContain("img05.png", message);
    }

    [Fact]
    public void Segment_warns_about_an_image_without_nuclei_and_not_about_the_samples()
    {
        string blank = Path.Combine(dir, "blank.png");
        ImageIO.WriteImage8(blank, new FloatImage(96, 96, 1, new float[96 * 96]));
        var run = SamplesAndEvaluateTests.RunCli("segment", blank, TestData.SamplesDir, "--out", Path.Combine(dir, "out"));
        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains("warning: 1 image(s) have no nuclei or implausibly few for the foreground the model sees (blank: no nuclei)", run.Err);
        Assert.Equal(1, run.Err.Split('\n').Count(l => l.Contains("implausibly few")));
    }
}
