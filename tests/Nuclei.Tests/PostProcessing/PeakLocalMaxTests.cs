using Nuclei.Core.PostProcessing;

namespace Nuclei.Tests.PostProcessing;

public class PeakLocalMaxTests
{
    // The examples of skimage.feature.peak_local_max's docstring.
    static float[] Img1()
    {
        var img = new float[7 * 7];
        img[3 * 7 + 4] = 1f;
        img[3 * 7 + 2] = 1.5f;
        return img;
    }

    [Fact]
    public void Min_distance_one_keeps_both_peaks()
        => Assert.Equal(new[] { (3, 2), (3, 4) }, PeakLocalMax.Find(7, 7, Img1(), minDistance: 1));

    [Fact]
    public void Min_distance_two_keeps_the_higher()
        => Assert.Equal(new[] { (3, 2) }, PeakLocalMax.Find(7, 7, Img1(), minDistance: 2));

    [Fact]
    public void Threshold_abs_drops_low_peaks()
        => Assert.Equal(new[] { (3, 2) }, PeakLocalMax.Find(7, 7, Img1(), minDistance: 1, thresholdAbs: 1f));

    [Fact]
    public void Exclude_border_drops_peaks_near_the_edge()
    {
        var img = new float[10 * 10];
        img[1 * 10 + 1] = 2f;
        img[5 * 10 + 5] = 1f;
        Assert.Equal(new[] { (5, 5) }, PeakLocalMax.Find(10, 10, img, minDistance: 2));
        Assert.Equal(new[] { (1, 1), (5, 5) }, PeakLocalMax.Find(10, 10, img, minDistance: 2, excludeBorder: 0));
    }

    [Fact]
    public void Labels_search_each_object_separately()
    {
        // Two adjacent objects, each with its own maximum; the higher one would suppress the other without labels.
        int h = 9, w = 9;
        var img = new float[h * w];
        var labels = new int[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) labels[y * w + x] = x < 5 ? 1 : 2;
        img[4 * w + 3] = 3f;
        img[4 * w + 5] = 2f;
        Assert.Equal(new[] { (4, 3) }, PeakLocalMax.Find(h, w, img, minDistance: 3, excludeBorder: 0));
        Assert.Equal(new[] { (4, 3), (4, 5) }, PeakLocalMax.Find(h, w, img, minDistance: 3, excludeBorder: 0, labels: labels));
    }

    [Fact]
    public void A_flat_image_has_no_peak()
        => Assert.Empty(PeakLocalMax.Find(8, 8, Enumerable.Repeat(1f, 64).ToArray(), minDistance: 1, excludeBorder: 0));
}
