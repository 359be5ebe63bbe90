using Nuclei.Torch.Models.Detection;
using static TorchSharp.torch;

namespace Nuclei.Torch.Models;

/// <summary>
/// A network that finds nuclei as instances itself (a detector, e.g. <see cref="MaskRcnn"/>) instead of dense head maps
/// that post-processing partitions. Training asks it for its loss given each crop's nuclei; segmentation asks it for
/// its detections and paints them into a label map with <see cref="Painter"/>. It is still a <see cref="SegmentationNet"/>,
/// so checkpoints, the optimizer and the training loop handle it as any other network.
/// </summary>
internal interface IInstanceDetector
{
    /// <summary>The summed training loss of a normalised batch [N, C, H, W] against each image's nuclei.</summary>
    Tensor Loss(Tensor images, IReadOnlyList<InstanceTargets> targets);

    /// <summary>The nuclei found in each image of a normalised batch (eval mode; those scoring at least the settings' score threshold), boxes in the batch's pixels.</summary>
    IReadOnlyList<IReadOnlyList<DetectedNucleus>> Detect(Tensor images);

    /// <summary>Detections → label map, with the detector's current settings.</summary>
    DetectionPainter Painter { get; }

    /// <summary>Replaces the settings that do not change the weights (from a configuration or a checkpoint's saved one).</summary>
    void Configure(MaskRcnnSettings settings);
}
