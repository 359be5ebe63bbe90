using Nuclei.Core.Imaging;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Probability maps → separate nuclei (samuelschen/DSB2018's partition_instances): threshold the body (holes filled); markers from the marker
/// head if given, else from the contour, else from distance-transform peaks (or as <see cref="PartitionOptions.MarkerSource"/> says); split the body by watershed or random
/// walker; body pieces that got no marker become objects; fill holes per object; drop small objects, optionally
/// border objects and a fibre; number the nuclei 1..N.
/// </summary>
internal static class Partition
{
    /// <param name="body">Body (semantic) probability, 1 channel, 0..1.</param>
    /// <param name="contour">Optional contour probability, same size.</param>
    /// <param name="marker">Optional marker-head probability, same size.</param>
    public static LabelImage Run(FloatImage body, FloatImage? contour, FloatImage? marker, PartitionOptions? options = null)
    {
        options ??= new PartitionOptions();
        options.Validate();
        CheckMap(body, body, "body");
        if (contour != null) CheckMap(contour, body, "contour");
        if (marker != null) CheckMap(marker, body, "marker");
        int h = body.Height, w = body.Width;

        var bodyMask = Above(body.Data, options.ThresholdBody);
        // A nucleus with a dim centre is a ring in the body map: fill it before looking for markers, or the
        // ring's ridge yields a circle of distance peaks.
        if (options.FillHoles) HoleFilling.FillHoles(h, w, bodyMask);
        // Markers from peaks use the body alone: then the contour shapes nothing, as in samuelschen/DSB2018's "P" rows.
        if (options.MarkerSource == MarkerSource.Peaks) { contour = null; marker = null; }
        else if (options.MarkerSource == MarkerSource.Contour) marker = null;
        bool[]? contourMask = contour == null ? null : Above(contour.Data, options.ThresholdContour);
        float[]? distance = null;
        int[] markers;
        if (marker != null)
            markers = Markers.FromMarkerHead(h, w, bodyMask, Above(marker.Data, options.ThresholdMarker), contourMask, options.MinMarkerSize);
        else if (contourMask != null)
            markers = Markers.FromContour(h, w, bodyMask, contourMask, options.MinMarkerSize);
        else
        {
            distance = DistanceTransform.Euclidean(h, w, bodyMask);
            markers = Markers.FromDistancePeaks(h, w, bodyMask, options.PeakMinDistance, distance, options.PeakDistanceFraction);
        }

        // Where a contour map is given, the watershed follows it: it floods the distance transform of the body with
        // the contour taken out. (The random walker keeps the body as its data: a contour of low values would form
        // a channel of strong edges around the nuclei and carry labels along it.)
        float[] surface = body.Data;
        if (contourMask != null && options.Policy == SplitPolicy.Watershed)
        {
            var inside = new bool[bodyMask.Length];
            for (int i = 0; i < inside.Length; i++) inside[i] = bodyMask[i] && !contourMask[i];
            distance = DistanceTransform.Euclidean(h, w, inside);
            if (options.Landscape == WatershedLandscape.InvertedBody)
            {
                surface = new float[body.Data.Length];
                for (int i = 0; i < surface.Length; i++) surface[i] = body.Data[i] * (1f - contour!.Data[i]);
            }
        }
        var labels = Split(h, w, surface, bodyMask, markers, options, distance);
        CleanUp(h, w, labels, bodyMask, options);
        return new LabelImage(h, w, labels);
    }

    /// <summary>Splits the body mask among the markers by the options' policy. Pixels outside the mask stay 0.</summary>
    public static int[] Split(int height, int width, ReadOnlySpan<float> bodyProbability, bool[] bodyMask, int[] markers,
        PartitionOptions options, float[]? distance = null)
    {
        if (options.Policy == SplitPolicy.RandomWalker)
            return RandomWalker.Run(height, width, bodyProbability, markers, bodyMask, options.Beta, options.Tolerance);

        float[] landscape;
        if (options.Landscape == WatershedLandscape.InvertedBody)
        {
            landscape = new float[bodyProbability.Length];
            for (int i = 0; i < landscape.Length; i++) landscape[i] = 1f - bodyProbability[i];
        }
        else
        {
            landscape = distance != null ? (float[])distance.Clone() : DistanceTransform.Euclidean(height, width, bodyMask);
            for (int i = 0; i < landscape.Length; i++) landscape[i] = -landscape[i];
        }
        return Watershed.Run(height, width, landscape, markers, bodyMask, options.EightConnected, options.Compactness, options.WatershedLine);
    }

    /// <summary>
    /// The clean-up after the split, in place: missed blobs, holes, small objects, border objects, fibre, 1..N.
    /// Returns N.
    /// </summary>
    public static int CleanUp(int height, int width, int[] labels, bool[] bodyMask, PartitionOptions options)
    {
        if (options.AddMissedBlobs) AddMissedBlobs(height, width, labels, bodyMask);
        if (options.FillHoles) HoleFilling.FillHolesPerObject(height, width, labels);
        SmallObjects.RemoveFromLabels(labels, options.MinSize);
        if (options.RemoveBorderObjects) BorderObjects.Remove(height, width, labels);
        if (options.RemoveFiber) FiberFilter.Apply(height, width, labels);
        return RelabelSequential.Apply(labels);
    }

    /// <summary>Every piece of the body (8-connected) with no labelled pixel becomes a new object. Returns how many.</summary>
    public static int AddMissedBlobs(int height, int width, int[] labels, bool[] bodyMask)
    {
        var pieces = ConnectedComponents.Label(height, width, bodyMask, out int count);
        if (count == 0) return 0;
        var hasLabel = new bool[count + 1];
        for (int i = 0; i < labels.Length; i++) if (labels[i] > 0 && pieces[i] > 0) hasLabel[pieces[i]] = true;
        int next = ConnectedComponents.MaxLabel(labels), added = 0;
        var newLabel = new int[count + 1];
        for (int c = 1; c <= count; c++) if (!hasLabel[c]) { newLabel[c] = ++next; added++; }
        if (added == 0) return 0;
        for (int i = 0; i < labels.Length; i++)
            if (pieces[i] > 0 && newLabel[pieces[i]] > 0) labels[i] = newLabel[pieces[i]];
        return added;
    }

    static bool[] Above(float[] data, float threshold)
    {
        var mask = new bool[data.Length];
        for (int i = 0; i < data.Length; i++) mask[i] = data[i] > threshold;
        return mask;
    }

    static void CheckMap(FloatImage map, FloatImage body, string name)
    {
        if (map.Channels != 1) throw new ArgumentException($"{name} map must have 1 channel, got {map.Channels}");
        if (map.Height != body.Height || map.Width != body.Width)
            throw new ArgumentException($"{name} map is {map.Height}x{map.Width} but the body map is {body.Height}x{body.Width}");
    }
}
