using Nuclei.Core;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;

namespace Nuclei.Torch.Inference;

/// <summary>
/// A loaded detector (<see cref="IInstanceDetector"/>) made ready for inference: batch norm folded, float32, TorchSharp.
/// Its pass ends in host-side NMS and mask pasting, which neither bfloat16 nor the ONNX export covers, so those are refused.
/// </summary>
internal static class DetectorNetwork
{
    public static PreparedNetwork Prepare(SegmentationNet net, ComputePrecision precision, NetworkRuntime runtime, InferenceDevice device)
    {
        if (runtime != NetworkRuntime.Torch)
            throw new NucleiInputException(null, $"{net.ModelName} is a detector: it runs on the torch runtime only");
        if (precision == ComputePrecision.Bf16)
            throw new NucleiInputException(null, $"{net.ModelName} is a detector: it computes in fp32 only");
        TorchNetworkRuntime.RefuseCuda(device);
        BatchNormFolding.Fold(net);
        return new PreparedNetwork(x => net.forward(x), ComputePrecision.Fp32, Resources: null);
    }
}
