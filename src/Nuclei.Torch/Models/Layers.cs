using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>Small tensor helpers shared by the architectures.</summary>
internal static class Layers
{
    /// <summary>Applies <paramref name="module"/> and disposes its input handle unless the module returned that same object.</summary>
    public static Tensor ForwardAndRelease(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        var output = module.forward(input);
        if (!ReferenceEquals(output, input)) input.Dispose();
        return output;
    }

    /// <summary>
    /// Reflect-pads (or crops) <paramref name="x"/> to the spatial size of <paramref name="like"/>: an upsampled map can be
    /// a pixel short of its skip connection when a size was odd before pooling (samuelschen/DSB2018 pads with reflection).
    /// </summary>
    public static Tensor MatchSize(Tensor x, Tensor like)
    {
        long dh = like.shape[2] - x.shape[2], dw = like.shape[3] - x.shape[3];
        if (dh == 0 && dw == 0) return x;
        if (dh < 0 || dw < 0)
            return x[.., .., ..(int)like.shape[2], ..(int)like.shape[3]];
        var pad = new long[] { dw / 2, dw - dw / 2, dh / 2, dh - dh / 2 };
        var mode = dh < x.shape[2] && dw < x.shape[3] ? PaddingModes.Reflect : PaddingModes.Replicate;
        return nn.functional.pad(x, pad, mode);
    }
}
