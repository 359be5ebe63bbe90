using Nuclei.Core;
using Nuclei.Core.Settings;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;

namespace Nuclei.Torch.Inference;

/// <summary>TorchSharp's forward pass: the network itself, folded and channels last (<see cref="InferenceNetwork.Prepare"/>).</summary>
internal sealed class TorchNetworkRuntime : INetworkRuntime
{
    public PreparedNetwork Prepare(SegmentationNet net, ComputePrecision precision, InferenceDevice device)
    {
        RefuseCuda(device);
        return new(InferenceNetwork.Prepare(net, precision), ComputePrecisions.Resolve(precision), Resources: null);
    }

    /// <summary>The build's libtorch is TorchSharp-cpu: auto means the CPU here, and cuda is an error naming the way to a GPU.</summary>
    public static void RefuseCuda(InferenceDevice device)
    {
        if (device == InferenceDevice.Cuda)
            throw new NucleiInputException(null, $"{Setting.Device} cuda needs {Setting.Runtime} onnx: this build's libtorch runs on the CPU only");
    }
}
