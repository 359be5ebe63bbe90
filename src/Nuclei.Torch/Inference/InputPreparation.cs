using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Turns an image as read (HWC, 0..1, any channel count: gray, RGB, RGBA with alpha already dropped by ImageIO)
/// into the channel count the model was trained with.
/// </summary>
internal static class InputPreparation
{
    /// <summary>
    /// The image with <paramref name="inChannels"/> channels: same count → as is; one wanted from colour →
    /// luminance (ITU-R BT.601 weights, as OpenCV's RGB→gray); more wanted than present → gray replicated
    /// (as training feeds gray images to 3-channel models); fewer → the first ones.
    /// </summary>
    public static FloatImage AdaptChannels(FloatImage image, int inChannels)
    {
        int c = image.Channels, n = image.PixelCount;
        if (c == inChannels) return image;
        // exactly what training feeds its (3-channel) models
        if (inChannels == 3) return ColorTransforms.ToThreeChannels(image);
        var src = image.Data;
        var dst = new float[(long)n * inChannels];
        if (inChannels == 1 && c >= 3)
        {
            for (int i = 0; i < n; i++)
                dst[i] = 0.299f * src[i * c] + 0.587f * src[i * c + 1] + 0.114f * src[i * c + 2];
        }
        else
        {
            for (int i = 0; i < n; i++)
                for (int k = 0; k < inChannels; k++)
                    dst[i * inChannels + k] = src[i * c + (c == 2 ? 0 : k % c)]; // 2 channels: gray + extra, use gray
        }
        return new FloatImage(image.Height, image.Width, inChannels, dst);
    }

    /// <summary>Planar CHW copy without normalisation (for models trained on raw 0..1 input).</summary>
    public static float[] ToPlanar(FloatImage image)
    {
        int c = image.Channels, n = image.PixelCount;
        var dst = new float[image.Data.Length];
        for (int k = 0; k < c; k++)
            for (int i = 0; i < n; i++) dst[k * n + i] = image.Data[i * c + k];
        return dst;
    }
}
