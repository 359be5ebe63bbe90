using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// Re-estimates the running mean and variance of every batch-norm layer on the user's images, weights unchanged
/// ("AdaBN": Li, Wang, Shi, Liu &amp; Hou 2016, "Revisiting Batch Normalization For Practical Domain Adaptation",
/// arXiv:1603.04779). A network trained on fluorescence whitens the activations of a stained slide with statistics of
/// dark backgrounds and bright nuclei; re-estimated on the slides themselves, each layer sees inputs on the scale it was
/// trained for. The estimate is the cumulative average over the images, as PyTorch's torch.optim.swa_utils.update_bn
/// computes it.
/// </summary>
internal static class BatchNormRecalibration
{
    /// <summary>Re-estimates the statistics in place from <paramref name="images"/> and leaves the network in eval mode.</summary>
    /// <param name="maxSide">larger images are seen as their centre crop of at most this side (memory)</param>
    /// <returns>how many batch-norm layers and images went into the estimate</returns>
    public static (int Layers, int Images) Recalibrate(SegmentationNet net, Normalization normalization, IEnumerable<FloatImage> images, int maxSide = 512)
    {
        var layers = net.modules().OfType<BatchNorm>().ToList();
        if (layers.Count == 0) return (0, 0);
        var momenta = layers.Select(l => l.momentum).ToList();
        // Momentum 1 makes each forward pass leave exactly its image's statistics in the running buffers; they are summed
        // here and averaged at the end (not left to the layer's own cumulative mode, whose trigger differs by version).
        var sums = layers.Select(l => (Mean: zeros_like(l.running_mean!), Var: zeros_like(l.running_var!))).ToList();
        int seen = 0;
        try
        {
            foreach (var l in layers) l.momentum = 1.0;
            net.train();
            using var noGrad = no_grad();
            foreach (var image in images)
            {
                using (var gate = FinalizerGate.Enter())   // see FinalizerGate: batch norm's update takes Scalars
                {
                    using (var scope = NewDisposeScope())
                    {
                        using var input = InputTensor(image, net, normalization, maxSide);
                        net.forward(input);
                    }
                    for (int i = 0; i < layers.Count; i++) { sums[i].Mean.add_(layers[i].running_mean!); sums[i].Var.add_(layers[i].running_var!); }
                }
                seen++;
            }
            using var averaging = FinalizerGate.Enter();
            for (int i = 0; i < layers.Count && seen > 0; i++)
            {
                using var mean = sums[i].Mean / seen;
                using var variance = sums[i].Var / seen;
                layers[i].running_mean!.copy_(mean);
                layers[i].running_var!.copy_(variance);
            }
        }
        finally
        {
            for (int i = 0; i < layers.Count; i++) layers[i].momentum = momenta[i];
            foreach (var (mean, var) in sums) { mean.Dispose(); var.Dispose(); }
            net.eval();
        }
        return (layers.Count, seen);
    }

    /// <summary>The image as the network reads it ([1, C, H, W], normalised), cut to a multiple of its size step.</summary>
    static Tensor InputTensor(FloatImage image, SegmentationNet net, Normalization normalization, int maxSide)
    {
        int m = net.SizeMultiple;
        int h = Math.Min(image.Height, maxSide) / m * m, w = Math.Min(image.Width, maxSide) / m * m;
        if (h == 0 || w == 0) throw new ArgumentException($"an image of {image.Height}x{image.Width} is smaller than the network's step of {m} px");
        var crop = Geometry.Crop(InputPreparation.AdaptChannels(image, net.Options.InChannels), (image.Height - h) / 2, (image.Width - w) / 2, h, w);
        var planar = normalization.ToPlanar(crop);
        return tensor(planar, [1, crop.Channels, h, w]);
    }
}
