using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;
using TorchSharp;
using static TorchSharp.torch;
using Nuclei.Torch.Runtime;

namespace Nuclei.Tests.Inference;

/// <summary>Small deterministic networks standing in for trained ones (fixed seeds, eval mode).</summary>
internal static class SyntheticModels
{
    /// <summary>
    /// conv3x3 → batch norm (eval, random running statistics) → ReLU → conv3x3: a receptive field of 5×5,
    /// so tiles that overlap by more than a few pixels must agree with the whole image.
    /// </summary>
    public static InferenceModel RandomConvNet(int inChannels = 3, string[]? heads = null, int seed = 1,
        int sizeMultiple = 16, int trainingSize = 64, Func<FloatImage, float[]>? normalization = null, string source = "synthetic")
    {
        heads ??= new[] { HeadProbabilities.Semantic, HeadProbabilities.Contour, HeadProbabilities.Marker };
        using var gate = FinalizerGate.Enter();   // the random statistics below take Scalars, and tests run in parallel
        torch.manual_seed(seed);
        var bn = nn.BatchNorm2d(8);
        var net = nn.Sequential(
            nn.Conv2d(inChannels, 8, 3, padding: 1),
            bn,
            nn.ReLU(),
            nn.Conv2d(8, heads.Length, 3, padding: 1));
        using (torch.no_grad())
        {
            bn.running_mean!.copy_(torch.rand(8) * 0.2 - 0.1);
            bn.running_var!.copy_(torch.rand(8) + 0.5);
        }
        net.eval();
        // 8 channels wide: guarded as a loaded checkpoint's forward pass is (see OneDnnConvolutions)
        return new InferenceModel(OneDnnConvolutions.Guarded(x => net.forward(x), OneDnnConvolutions.ExposedLayers(net)), heads, inChannels, sizeMultiple, trainingSize,
            normalization, source, owned: net);
    }

    /// <summary>A 1×1 convolution: it commutes with every flip and rotation, so TTA must change nothing.</summary>
    public static InferenceModel PointwiseNet(int inChannels = 3, int heads = 3, int seed = 2)
    {
        using var gate = FinalizerGate.Enter();   // initialisation in parallel with other tests
        torch.manual_seed(seed);
        var net = nn.Conv2d(inChannels, heads, 1);
        net.eval();
        var names = new[] { HeadProbabilities.Semantic, HeadProbabilities.Contour, HeadProbabilities.Marker }.Take(heads).ToArray();
        return new InferenceModel(x => net.forward(x), names, inChannels, 8, 32, null, "pointwise", owned: net);
    }

    /// <summary>A reproducible image with blob-like structure, values 0..1, HWC.</summary>
    public static FloatImage RandomImage(int height, int width, int channels, int seed = 7)
    {
        var rng = new Random(seed);
        var img = new FloatImage(height, width, channels);
        var blobs = Enumerable.Range(0, 12).Select(_ => (y: rng.NextDouble() * height, x: rng.NextDouble() * width, r: 3 + rng.NextDouble() * 8)).ToArray();
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                double v = 0;
                foreach (var b in blobs)
                {
                    double d2 = ((y - b.y) * (y - b.y) + (x - b.x) * (x - b.x)) / (b.r * b.r);
                    v = Math.Max(v, Math.Exp(-d2));
                }
                v = 0.1 + 0.7 * v;
                for (int c = 0; c < channels; c++)
                    img[y, x, c] = (float)Math.Clamp(v * (1 - 0.1 * c) + 0.05 * rng.NextDouble(), 0, 1);
            }
        return img;
    }

    public static float MaxAbsDifference(FloatImage a, FloatImage b, int margin = 0)
    {
        float max = 0;
        for (int y = margin; y < a.Height - margin; y++)
            for (int x = margin; x < a.Width - margin; x++)
                max = Math.Max(max, Math.Abs(a[y, x] - b[y, x]));
        return max;
    }

    /// <summary>The image as seen after a D4 transform (index mapping written out by hand, independent of torch).</summary>
    public static FloatImage Transform(FloatImage img, TtaTransform t)
    {
        bool swap = TestTimeAugmentation.SwapsAxes(t);
        int h = swap ? img.Width : img.Height, w = swap ? img.Height : img.Width;
        var dst = new FloatImage(h, w, img.Channels);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (sy, sx) = SourceOf(t, y, x, img.Height, img.Width);
                for (int c = 0; c < img.Channels; c++) dst[y, x, c] = img[sy, sx, c];
            }
        return dst;
    }

    /// <summary>Source pixel of destination (y, x) for an image of H×W (before the transform).</summary>
    public static (int y, int x) SourceOf(TtaTransform t, int y, int x, int H, int W) => t switch
    {
        TtaTransform.Identity => (y, x),
        TtaTransform.FlipHorizontal => (y, W - 1 - x),
        TtaTransform.FlipVertical => (H - 1 - y, x),
        TtaTransform.FlipBoth or TtaTransform.Rotate180 => (H - 1 - y, W - 1 - x),
        // counter-clockwise 90°: destination is W×H; dst(y, x) = src(x, W-1-y)
        TtaTransform.Rotate90 => (x, W - 1 - y),
        TtaTransform.Rotate270 => (H - 1 - x, y),
        TtaTransform.Transpose => (x, y),
        TtaTransform.AntiTranspose => (H - 1 - x, W - 1 - y),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
