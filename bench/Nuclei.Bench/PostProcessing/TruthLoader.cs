using OpenCvSharp;

namespace Nuclei.Bench.PostProcessing;

/// <summary>Reads a DSB2018 training sample's masks into one label map (mask i in file-name order → label i+1).</summary>
public static class TruthLoader
{
    public static IReadOnlyList<string> Ids(string dataDir) =>
        Directory.GetDirectories(dataDir).Select(Path.GetFileName).Where(d => Directory.Exists(Path.Combine(dataDir, d!, "masks")))
            .Order(StringComparer.Ordinal).ToList()!;

    public static (int[] Labels, int Height, int Width) Load(string dataDir, string id)
    {
        var files = Directory.GetFiles(Path.Combine(dataDir, id, "masks"), "*.png").Order(StringComparer.Ordinal).ToArray();
        int[]? labels = null; int h = 0, w = 0;
        for (int k = 0; k < files.Length; k++)
        {
            using var m = Cv2.ImRead(files[k], ImreadModes.Grayscale);
            if (labels == null) { h = m.Rows; w = m.Cols; labels = new int[h * w]; }
            m.GetArray(out byte[] bytes);
            for (int i = 0; i < bytes.Length; i++) if (bytes[i] > 127) labels[i] = k + 1;
        }
        if (labels == null)
        {
            using var img = Cv2.ImRead(Directory.GetFiles(Path.Combine(dataDir, id, "images"))[0], ImreadModes.Unchanged);
            h = img.Rows; w = img.Cols; labels = new int[h * w];
        }
        return (labels, h, w);
    }
}
