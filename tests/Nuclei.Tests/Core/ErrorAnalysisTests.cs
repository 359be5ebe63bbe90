using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;

namespace Nuclei.Tests.Core;

/// <summary>Matches, false positives, misses, merges and splits on label maps built by hand.</summary>
public sealed class ErrorAnalysisTests
{
    static void Fill(LabelImage image, int label, int y0, int x0, int height, int width)
    {
        for (int y = y0; y < y0 + height; y++)
        for (int x = x0; x < x0 + width; x++)
            image[y, x] = label;
    }

    /// <summary>
    /// Truth: 1 and 2 side by side, 3, 4 and 5 alone. Prediction: 10 covers 1 and 2 (a merge), 20 and 21 are the two
    /// halves of 3 (a split), 30 is 4 exactly, nothing at 5, and 40 where there is nothing.
    /// </summary>
    static (LabelImage Truth, LabelImage Pred) Scene()
    {
        var truth = new LabelImage(40, 60);
        var pred = new LabelImage(40, 60);
        Fill(truth, 1, 2, 2, 8, 8); Fill(truth, 2, 2, 10, 8, 8); Fill(pred, 10, 2, 2, 8, 16);
        Fill(truth, 3, 2, 30, 8, 8); Fill(pred, 20, 2, 30, 8, 4); Fill(pred, 21, 2, 34, 8, 4);
        Fill(truth, 4, 20, 2, 6, 6); Fill(pred, 30, 20, 2, 6, 6);
        Fill(truth, 5, 20, 20, 6, 6);
        Fill(pred, 40, 30, 40, 5, 5);
        return (truth, pred);
    }

    [Fact]
    public void Each_object_falls_in_the_category_its_overlaps_define()
    {
        var (truth, pred) = Scene();
        var errors = ErrorAnalysis.Analyze(ObjectOverlaps.Compute(truth, pred));
        Assert.Equal(new[] { (4, 30) }, errors.Matches);
        Assert.Equal(new[] { 10, 20, 21, 40 }, errors.FalsePositives);
        Assert.Equal(new[] { 1, 2, 3, 5 }, errors.Misses);
        Assert.Equal(new[] { 10 }, errors.Merges);
        Assert.Equal(new[] { 3 }, errors.Splits);
        Assert.Equal(new ErrorCounts(1, 4, 4, 1, 1), errors.Counts);
    }

    [Fact]
    public void Covering_exactly_half_is_neither_a_merge_nor_a_split()
    {
        var truth = new LabelImage(10, 20);
        var pred = new LabelImage(10, 20);
        Fill(truth, 1, 0, 0, 4, 4); Fill(truth, 2, 0, 4, 4, 4);
        Fill(pred, 7, 0, 2, 4, 4); // half of 1 and half of 2
        Fill(truth, 3, 5, 0, 4, 8);
        Fill(pred, 8, 5, 0, 4, 4); Fill(pred, 9, 5, 4, 4, 8); // 9 lies half in 3, half outside
        var errors = ErrorAnalysis.Analyze(ObjectOverlaps.Compute(truth, pred));
        Assert.Empty(errors.Merges);
        Assert.Empty(errors.Splits);
    }

    [Fact]
    public void A_perfect_prediction_has_only_true_positives()
    {
        var (truth, _) = Scene();
        var errors = ErrorAnalysis.Analyze(ObjectOverlaps.Compute(truth, truth));
        Assert.Equal(new ErrorCounts(5, 0, 0, 0, 0), errors.Counts);
    }

    [Fact]
    public void Counts_add_up_over_images_and_agree_with_the_metric_at_iou_half()
    {
        var (truth, pred) = Scene();
        var evaluation = ImageEvaluation.Of("scene", truth, pred);
        var perfect = ImageEvaluation.Of("perfect", truth, truth);
        Assert.Equal(new ErrorCounts(6, 4, 4, 1, 1), ObjectErrors.Total(new[] { evaluation.Errors, perfect.Errors }));
        var atHalf = evaluation.Score.PerThreshold[0];
        Assert.Equal((atHalf.TruePositives, atHalf.FalsePositives, atHalf.FalseNegatives),
            (evaluation.Errors.TruePositives, evaluation.Errors.FalsePositives.Count, evaluation.Errors.Misses.Count));
    }
}
