using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Turns an image as read (HWC, 0..1, any channel count: gray, RGB, RGBA with alpha already dropped by ImageIO)
/// into a planar CHW array with the channel count the model was trained with.
/// </summary>
public static class InputPreparation
{
    /// <summary>
    /// CHW float array with <paramref name="inChannels"/> planes:
    /// same count → copied; one wanted from colour → luminance (ITU-R BT.601 weights, as OpenCV's RGB→gray);
    /// more wanted than present → gray replicated (or channels repeated in turn); fewer → the first ones.
    /// </summary>
    public static float[] ToChw(FloatImage image, int inChannels)
    {
        int h = image.Height, w = image.Width, c = image.Channels, plane = h * w;
        var src = image.Data;
        var dst = new float[(long)plane * inChannels];
        if (inChannels == 1 && c >= 3)
        {
            for (int i = 0; i < plane; i++)
                dst[i] = 0.299f * src[i * c] + 0.587f * src[i * c + 1] + 0.114f * src[i * c + 2];
            return dst;
        }
        for (int k = 0; k < inChannels; k++)
        {
            int from = c == 2 ? 0 : k % c; // 2 channels = gray + something: use gray everywhere
            int o = k * plane;
            for (int i = 0; i < plane; i++) dst[o + i] = src[i * c + from];
        }
        return dst;
    }
}
