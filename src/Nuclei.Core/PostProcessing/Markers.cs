namespace Nuclei.Core.PostProcessing;

/// <summary>
/// The three ways samuelschen/DSB2018 makes watershed / random-walker markers (labels 1..N, 0 elsewhere):
/// peaks of the distance transform, the body minus the predicted contour, and the predicted marker head.
/// </summary>
internal static class Markers
{
    /// <summary>
    /// One marker per peak of the body's distance transform (peak_local_max per body piece, no border exclusion).
    /// The minimum peak distance defaults to <see cref="TypicalPeakDistance"/> of the body.
    /// </summary>
    public static int[] FromDistancePeaks(int height, int width, ReadOnlySpan<bool> body, int? minDistance = null,
        float[]? distance = null, double fraction = DefaultPeakDistanceFraction)
    {
        distance ??= DistanceTransform.Euclidean(height, width, body);
        var pieces = ConnectedComponents.Label(height, width, body, out int count);
        int md = minDistance ?? TypicalPeakDistance(pieces, count, fraction);
        var peaks = PeakLocalMax.Find(height, width, distance, md, thresholdAbs: 0, excludeBorder: 0, labels: pieces);
        var markers = new int[height * width];
        int next = 0;
        foreach (var (y, x) in peaks) markers[y * width + x] = ++next;
        return markers;
    }

    /// <summary>
    /// Minimum distance between peaks from the typical nucleus size of the image: a fraction (default 1) of the radius of a disc
    /// with the median area of the body's pieces, at least 2. Two touching nuclei have their peaks about two radii
    /// apart, so they stay two; the ridge of one elongated nucleus yields peaks closer than that, which merge.
    /// </summary>
    public static int TypicalPeakDistance(ReadOnlySpan<int> pieces, int count, double fraction = DefaultPeakDistanceFraction)
    {
        if (count == 0) return 2;
        var areas = ConnectedComponents.Areas(pieces, count).AsSpan(1).ToArray();
        Array.Sort(areas);
        double median = areas.Length % 2 == 1 ? areas[areas.Length / 2] : 0.5 * (areas[areas.Length / 2 - 1] + areas[areas.Length / 2]);
        double radius = Math.Sqrt(median / Math.PI);
        return Math.Max(2, (int)Math.Round(fraction * radius));
    }

    /// <summary>Default fraction of the typical radius used as minimum peak distance.</summary>
    public const double DefaultPeakDistanceFraction = 1.0; // best classical mean AP on the 664 training images (0.5: 0.426, 0.9: 0.486, 1.0: 0.487, 1.3: 0.477)

    /// <summary>Markers from a contour map: pieces of <c>body &amp; ~contour</c>, those under <paramref name="minPieceSize"/> dropped.</summary>
    public static int[] FromContour(int height, int width, ReadOnlySpan<bool> body, ReadOnlySpan<bool> contour, int minPieceSize = 10)
    {
        var inside = new bool[body.Length];
        for (int i = 0; i < inside.Length; i++) inside[i] = body[i] && !contour[i];
        return Pieces(height, width, inside, minPieceSize);
    }

    /// <summary>
    /// Markers from a marker head: pieces of <c>(marker &amp; ~contour) &amp; body</c> (contour optional),
    /// those under <paramref name="minPieceSize"/> dropped.
    /// </summary>
    public static int[] FromMarkerHead(int height, int width, ReadOnlySpan<bool> body, ReadOnlySpan<bool> marker,
        ReadOnlySpan<bool> contour = default, int minPieceSize = 10)
    {
        var seeds = new bool[body.Length];
        for (int i = 0; i < seeds.Length; i++) seeds[i] = marker[i] && body[i] && (contour.IsEmpty || !contour[i]);
        return Pieces(height, width, seeds, minPieceSize);
    }

    static int[] Pieces(int height, int width, bool[] mask, int minPieceSize)
    {
        var labels = ConnectedComponents.Label(height, width, mask, out _);
        SmallObjects.RemoveFromLabels(labels, minPieceSize);
        RelabelSequential.Apply(labels);
        return labels;
    }
}
