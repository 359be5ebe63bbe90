using Nuclei.Core.Memory;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Inference;

/// <summary>
/// A loaded checkpoint's network made faster for inference, with the same results up to float rounding: batch norm
/// folded into the convolutions (<see cref="BatchNormFolding"/>), and the input stored channels last (NHWC), which
/// libtorch's oneDNN convolutions then keep from layer to layer instead of reordering every activation to and from
/// their blocked layout ("Channels Last Memory Format in PyTorch", pytorch.org tutorials; about 30% less CPU time per
/// 256² forward of the bundled model on one thread, bench/Nuclei.Bench forward-variants). In bfloat16
/// (<see cref="ComputePrecision.Bf16"/>) the network's weights and activations are converted, its input and output stay
/// float32: about 3× less CPU per forward on a CPU with AMX, at the cost of bfloat16's 8-bit mantissa.
/// Only for networks that are not trained afterwards (a folded network trains wrongly).
/// </summary>
internal static class InferenceNetwork
{
    /// <summary>Folds <paramref name="net"/> (in eval mode) and returns its forward pass on channels-last input, float32 in and out.</summary>
    public static Func<Tensor, Tensor> Prepare(SegmentationNet net, ComputePrecision precision = ComputePrecisions.Default)
    {
        NativeHeap.RetainFreedMemory();
        var type = ComputePrecisions.ScalarTypeOf(precision);
        using (FinalizerGate.Enter())   // see FinalizerGate: the folding adds eps, a Scalar
        {
            BatchNormFolding.Fold(net);
            if (type != ScalarType.Float32) net.to(type);
        }
        return x =>
        {
            using var converted = x.to(type);   // for float32 the same tensor, as is the output's conversion below
            using var nhwc = ChannelsLast(converted);
            using var y = net.forward(nhwc);
            return y.to(ScalarType.Float32);
        };
    }

    /// <summary>The same NCHW tensor stored channels last (TorchSharp has no memory_format argument: a permuted copy, permuted back).</summary>
    public static Tensor ChannelsLast(Tensor x)
    {
        using var stored = x.permute(0, 2, 3, 1).contiguous();
        return stored.permute(0, 3, 1, 2);
    }
}
