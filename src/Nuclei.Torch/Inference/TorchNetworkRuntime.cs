using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;

namespace Nuclei.Torch.Inference;

/// <summary>TorchSharp's forward pass: the network itself, folded and channels last (<see cref="InferenceNetwork.Prepare"/>).</summary>
internal sealed class TorchNetworkRuntime : INetworkRuntime
{
    public PreparedNetwork Prepare(SegmentationNet net, ComputePrecision precision) =>
        new(InferenceNetwork.Prepare(net, precision), ComputePrecisions.Resolve(precision), Resources: null);
}
