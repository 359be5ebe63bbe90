using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>
/// Scores a network on held-out images the way the competition does: sigmoid of each head, then
/// <see cref="Partition.Run"/> into instances, then the DSB mean AP (<see cref="DsbMetric"/>), averaged over
/// images; also the pixel IoU of the semantic head at 0.5. Images are padded by reflection to the
/// network's size multiple and the padding is cropped from the outputs.
/// </summary>
public sealed class Validator
{
    readonly IReadOnlyList<TrainingItem> _items;
    readonly Normalization _normalize;
    readonly PartitionOptions _partition;

    public Validator(IReadOnlyList<TrainingItem> items, Normalization normalize, PartitionOptions partition)
    {
        _items = items; _normalize = normalize; _partition = partition;
    }

    public int Count => _items.Count;

    /// <summary>
    /// Mean AP and pixel IoU over the images, and mean AP per kind of image; an image that fails is reported through
    /// <paramref name="warn"/> and left out (training goes on).
    /// </summary>
    public ValidationScore Score(SegmentationNet net, Action<string>? warn = null)
    {
        if (_items.Count == 0) return ValidationScore.None;
        bool wasTraining = net.training;
        net.eval();
        var scores = new List<(string Kind, double Ap, double Iou)>();
        try
        {
            foreach (var item in _items)
            {
                try
                {
                    var maps = Predict(net, item.Image);
                    int si = Index(net, HeadKind.Semantic), ci = Index(net, HeadKind.Contour), mi = Index(net, HeadKind.Marker);
                    var pred = Partition.Run(maps[si], ci >= 0 ? maps[ci] : null, mi >= 0 ? maps[mi] : null, _partition);
                    scores.Add((item.Kind, DsbMetric.Score(item.Labels, pred).MeanAp, PixelIou(maps[si], item.Labels)));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    warn?.Invoke($"validation image {item.Id} not scored: {e.Message}");
                }
            }
        }
        finally { if (wasTraining) net.train(); }
        return ValidationScore.Of(scores);
    }

    /// <summary>Per-head probability maps (1-channel FloatImages) of one image at its own size.</summary>
    public FloatImage[] Predict(SegmentationNet net, FloatImage image)
    {
        var img = ColorTransforms.ToThreeChannels(image);
        int h = img.Height, w = img.Width, m = net.SizeMultiple;
        int ph = (m - h % m) % m, pw = (m - w % m) % m;
        var planar = _normalize.ToPlanar(img);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(planar, new long[] { 1, 3, h, w });
        if (ph > 0 || pw > 0)
        {
            // Reflect padding needs pad < size; fall back to replicate for tiny images.
            var mode = ph < h && pw < w ? PaddingModes.Reflect : PaddingModes.Replicate;
            x = nn.functional.pad(x, new long[] { 0, pw, 0, ph }, mode);
        }
        var prob = sigmoid(net.forward(x))[.., .., ..h, ..w].contiguous().cpu();
        var all = prob.data<float>().ToArray();
        int heads = (int)prob.shape[1], plane = h * w;
        var maps = new FloatImage[heads];
        for (int k = 0; k < heads; k++)
            maps[k] = new FloatImage(h, w, 1, all.AsSpan(k * plane, plane).ToArray());
        return maps;
    }

    static int Index(SegmentationNet net, HeadKind kind)
    {
        for (int i = 0; i < net.Heads.Count; i++) if (net.Heads[i] == kind) return i;
        return -1;
    }

    static double PixelIou(FloatImage body, LabelImage truth)
    {
        long inter = 0, union = 0;
        for (int i = 0; i < truth.Data.Length; i++)
        {
            bool p = body.Data[i] > 0.5f, t = truth.Data[i] > 0;
            if (p && t) inter++;
            if (p || t) union++;
        }
        return union == 0 ? 1.0 : inter / (double)union;
    }
}
