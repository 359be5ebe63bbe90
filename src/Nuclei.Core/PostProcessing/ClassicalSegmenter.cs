using Nuclei.Core.Imaging;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// The classical (no deep learning) nucleus segmenter: gray image, Otsu threshold with the polarity
/// chosen automatically (the larger Otsu class is the background, so dark nuclei on a bright brightfield or H&amp;E
/// background are found as well as bright fluorescent ones), holes filled, small pieces removed, distance transform,
/// peak markers, then marker watershed or random walker and the same clean-up as <see cref="Partition"/>.
/// </summary>
internal static class ClassicalSegmenter
{
    public static LabelImage Segment(FloatImage image, ClassicalOptions? options = null)
    {
        options ??= new ClassicalOptions();
        int h = image.Height, w = image.Width;
        var gray = ToGray(image);
        float threshold = OtsuThreshold.Compute(gray);

        int bright = 0;
        foreach (float v in gray) if (v > threshold) bright++;
        bool darkNuclei = options.DarkNuclei ?? bright > gray.Length - bright; // background = the larger class

        var foreground = new bool[gray.Length];
        for (int i = 0; i < gray.Length; i++) foreground[i] = darkNuclei ? gray[i] <= threshold : gray[i] > threshold;
        HoleFilling.FillHoles(h, w, foreground);
        SmallObjects.RemoveFromMask(h, w, foreground, options.MinSize);

        var distance = DistanceTransform.Euclidean(h, w, foreground);
        var markers = Markers.FromDistancePeaks(h, w, foreground, options.PeakMinDistance, distance, options.PeakDistanceFraction);
        var partition = new PartitionOptions
        {
            Policy = options.Policy,
            MinSize = options.MinSize,
            Beta = options.Beta,
            Landscape = WatershedLandscape.NegativeDistance,
        };
        // The random walker walks on the binary foreground (as samuelschen/DSB2018 does on the thresholded body): raw intensity
        // edges inside clumps make the system ill-conditioned (hundreds of CG iterations) without splitting better.
        var walkData = new float[foreground.Length];
        for (int i = 0; i < walkData.Length; i++) walkData[i] = foreground[i] ? 1f : 0f;
        var labels = Partition.Split(h, w, walkData, foreground, markers, partition, distance);
        Partition.CleanUp(h, w, labels, foreground, partition);
        return new LabelImage(h, w, labels);
    }

    /// <summary>Gray values: the single channel as is, colour by luminance (ITU-R BT.709, as skimage's rgb2gray).</summary>
    public static float[] ToGray(FloatImage image)
    {
        int n = image.PixelCount, c = image.Channels;
        var gray = new float[n];
        var d = image.Data;
        if (c == 1) { Array.Copy(d, gray, n); return gray; }
        if (c == 2) { for (int i = 0; i < n; i++) gray[i] = d[2 * i]; return gray; } // gray + alpha
        for (int i = 0; i < n; i++)
            gray[i] = 0.2125f * d[i * c] + 0.7154f * d[i * c + 1] + 0.0721f * d[i * c + 2];
        return gray;
    }
}
