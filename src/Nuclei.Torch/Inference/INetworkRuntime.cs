using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using static TorchSharp.torch;

namespace Nuclei.Torch.Inference;

/// <summary>
/// The seam between the predictor and what runs a network: a runtime turns a loaded network into the forward pass
/// that <see cref="InferenceModel.Network"/> holds (normalised [N, C, H, W] float32 → logits [N, K, H, W] float32).
/// Normalisation, padding and tiling, test-time augmentation, the sigmoid, rescaling and post-processing stay the
/// predictor's and segmentation's, the same code whichever runtime computes the network. Registered in
/// <see cref="NetworkRuntimes"/>.
/// </summary>
internal interface INetworkRuntime
{
    /// <summary>The forward pass of <paramref name="net"/> (in eval mode, batch norm not yet folded), which the caller owns and keeps alive.</summary>
    /// <exception cref="Core.NucleiInputException">the runtime cannot run this network, this precision or on this device</exception>
    PreparedNetwork Prepare(SegmentationNet net, ComputePrecision precision, InferenceDevice device);
}

/// <summary>
/// A runtime's forward pass, the precision it computes in (fp32 or bf16), what it holds besides the network (null:
/// nothing), the device it computes on (cpu or cuda), and the one line saying why a GPU asked for by auto was not had.
/// </summary>
internal sealed record PreparedNetwork(Func<Tensor, Tensor> Forward, ComputePrecision Precision, IDisposable? Resources,
    InferenceDevice Device = InferenceDevice.Cpu, string? DeviceFallback = null);
