using Nuclei.Core.PostProcessing;
using OpenCvSharp;

namespace Nuclei.Bench.PostProcessing;

/// <summary>
/// Writes the inputs both sides of the scikit-image comparison read (one folder per image, .npy files):
/// body.npy — a network-like body probability (the truth union, Gaussian-blurred, σ = 1.5);
/// mask.npy — body &gt; 0.5; markers.npy — marker-head markers from the truth shrunk by 2 px (as Partition makes them);
/// landscape.npy — minus the distance transform of the mask (what Partition floods).
/// </summary>
public static class SideBySideInputs
{
    public static void Prepare(string dataDir, string outDir, int count)
    {
        // An even spread over the sorted ids, so all sizes and modalities appear.
        var picked = TruthLoader.Spread(dataDir, count);
        Directory.CreateDirectory(outDir);
        foreach (var id in picked)
        {
            var (truth, h, w) = TruthLoader.Load(id);
            var body = TruthMaps.Body(truth);
            using (var m = Mat.FromPixelData(h, w, MatType.CV_32FC1, body))
                Cv2.GaussianBlur(m, m, new Size(0, 0), 1.5);
            var mask = body.Select(v => v > 0.5f).ToArray();
            var markerMap = TruthMaps.Marker(h, w, truth, 2);
            var markers = Markers.FromMarkerHead(h, w, mask, markerMap.Select(v => v > 0.5f).ToArray(), default, 5);
            var landscape = DistanceTransform.Euclidean(h, w, mask).Select(d => -d).ToArray();
            string dir = Path.Combine(outDir, id.Id);
            Directory.CreateDirectory(dir);
            Npy.Write(Path.Combine(dir, "body.npy"), body, h, w);
            Npy.Write(Path.Combine(dir, "mask.npy"), mask.Select(b => b ? 1 : 0).ToArray(), h, w);
            Npy.Write(Path.Combine(dir, "markers.npy"), markers, h, w);
            Npy.Write(Path.Combine(dir, "landscape.npy"), landscape, h, w);
        }
        Console.WriteLine($"prepared {picked.Count} image(s) in {outDir}");
    }
}
