using Nuclei.Core.Memory;
using Nuclei.Torch.Models;
using static TorchSharp.torch;

namespace Nuclei.Torch.Inference;

/// <summary>
/// A loaded checkpoint's network made faster for inference, with the same results up to float rounding: batch norm
/// folded into the convolutions (<see cref="BatchNormFolding"/>), and the input stored channels last (NHWC), which
/// libtorch's oneDNN convolutions then keep from layer to layer instead of reordering every activation to and from
/// their blocked layout ("Channels Last Memory Format in PyTorch", pytorch.org tutorials; about 30% less CPU time per
/// 256² forward of the bundled model on one thread, bench/Nuclei.Bench forward-variants).
/// Only for networks that are not trained afterwards (a folded network trains wrongly).
/// </summary>
public static class InferenceNetwork
{
    /// <summary>Folds <paramref name="net"/> (in eval mode) and returns its forward pass on channels-last input.</summary>
    public static Func<Tensor, Tensor> Prepare(SegmentationNet net)
    {
        NativeHeap.RetainFreedMemory();
        BatchNormFolding.Fold(net);
        return x =>
        {
            using var nhwc = ChannelsLast(x);
            return net.forward(nhwc);
        };
    }

    /// <summary>The same NCHW tensor stored channels last (TorchSharp has no memory_format argument: a permuted copy, permuted back).</summary>
    public static Tensor ChannelsLast(Tensor x)
    {
        using var stored = x.permute(0, 2, 3, 1).contiguous();
        return stored.permute(0, 3, 1, 2);
    }
}
