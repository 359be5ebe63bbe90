using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using OpenCvSharp;

namespace Nuclei.Server.Downloads;

/// <summary>
/// The DSB layout's masks of a label map: one 8-bit 0/255 PNG per nucleus, in increasing label order, drawn on one
/// reused picture (set, encoded, cleared), not one image per nucleus.
/// </summary>
internal static class NucleusMasks
{
    public static IEnumerable<byte[]> Encode(LabelImage labels)
    {
        using var mask = new Mat(labels.Height, labels.Width, MatType.CV_8UC1, Scalar.All(0));
        foreach (var region in LabelRegions.Of(labels))
        {
            Paint(mask, region.Pixels, 255);
            Cv2.ImEncode(".png", mask, out byte[] png);
            Paint(mask, region.Pixels, 0);
            yield return png;
        }
    }

    static unsafe void Paint(Mat mask, int[] pixels, byte value)
    {
        var data = new Span<byte>((void*)mask.Data, mask.Rows * mask.Cols);
        foreach (int i in pixels) data[i] = value;
    }
}
