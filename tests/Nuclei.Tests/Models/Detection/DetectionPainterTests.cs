using Nuclei.Torch.Models.Detection;

namespace Nuclei.Tests.Models.Detection;

/// <summary>Detections → label map: score threshold, mask threshold, overlaps to the higher score, small fragments dropped.</summary>
public sealed class DetectionPainterTests
{
    private static DetectedNucleus Square(float x1, float y1, float x2, float y2, float score, float value = 1f) =>
        new(x1, y1, x2, y2, score, Enumerable.Repeat(value, 4).ToArray(), 2);

    [Fact]
    public void Overlap_goes_to_the_higher_score_and_low_scores_are_left_out()
    {
        var painter = new DetectionPainter(scoreThreshold: 0.5, maskThreshold: 0.35, minSize: 3);
        var detections = new[]
        {
            Square(4, 0, 10, 6, 0.8f),    // B: loses columns 4-5 to A
            Square(0, 0, 6, 6, 0.9f),     // A
            Square(0, 7, 3, 10, 0.3f),    // below the score threshold
            Square(6, 7, 9, 10, 0.6f, value: 0.3f),   // mask below 0.35 everywhere: nothing
        };
        var (labels, foreground) = painter.Paint(detections, 10, 10);
        for (int y = 0; y < 10; y++)
            for (int x = 0; x < 10; x++)
            {
                int expected = y < 6 ? (x < 6 ? 1 : 2) : 0;
                Assert.True(expected == labels[y, x], $"({x}, {y}): {labels[y, x]}, expected {expected}");
            }
        Assert.Equal(1f, foreground.Data[5 * 10 + 5]);
        Assert.Equal(0.3f, foreground.Data[8 * 10 + 7], 5);
    }

    [Fact]
    public void Fragments_smaller_than_the_minimum_are_dropped()
    {
        var painter = new DetectionPainter(0.5, 0.35, minSize: 3);
        // A holds (0,0)-(4,4); B covers (0,0)-(6,4) but keeps only columns 4-5 (8 px); C takes row 4, x 2-4;
        // D covers row 0, x 3-6, of which only pixel (6, 0) is free: a 1-pixel fragment
        var detections = new[] { Square(0, 0, 4, 4, 0.9f), Square(0, 0, 6, 4, 0.8f), Square(2, 4, 5, 5, 0.7f), Square(3, 0, 7, 1, 0.6f) };
        var (labels, _) = painter.Paint(detections, 6, 8);
        Assert.Equal(16, labels.Data.Count(v => v == 1));
        Assert.Equal(8, labels.Data.Count(v => v == 2));
        Assert.Equal(3, labels.Data.Count(v => v == 3));
        Assert.Equal(3, labels.MaxLabel());                 // D keeps nothing and takes no label
        Assert.Equal(0, labels[0, 6]);
    }

    [Fact]
    public void Mask_is_resized_bilinearly_over_the_box()
    {
        // a 2 × 2 mask 0, 1 / 0, 1 over (0,0)-(4,4): pixel centres 0.5 and 1.5 fall in the left cell's half (0), 2.5 and 3.5 in the right (1)
        var d = new DetectedNucleus(0, 0, 4, 4, 1f, [0f, 1f, 0f, 1f], 2);
        Assert.Equal(0f, DetectionPainter.MaskAt(d, 0.5f, 0.5f));
        Assert.Equal(0.25f, DetectionPainter.MaskAt(d, 1.5f, 0.5f), 5);
        Assert.Equal(0.75f, DetectionPainter.MaskAt(d, 2.5f, 3.5f), 5);
        Assert.Equal(1f, DetectionPainter.MaskAt(d, 3.5f, 3.5f));
    }
}
