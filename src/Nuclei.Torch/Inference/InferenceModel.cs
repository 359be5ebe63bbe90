using Nuclei.Torch.Runtime;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Imaging;
using static TorchSharp.torch;

namespace Nuclei.Torch.Inference;

/// <summary>
/// Everything the predictor needs to know about one network, independent of how it was built or loaded:
/// the forward function (normalised [N, C, H, W] → logits [N, K, H, W]), its head names in output order,
/// what input it wants and how training prepared that input. Checkpoints become one of these through
/// <see cref="CheckpointModels"/>; tests build them from small synthetic networks.
/// </summary>
internal sealed class InferenceModel : IDisposable
{
    /// <summary>Maps a normalised batch [N, InChannels, H, W] (H, W multiples of SizeMultiple) to logits [N, K, H, W].</summary>
    public Func<Tensor, Tensor> Network { get; }

    /// <summary>Head names in the order of the output channels, e.g. "semantic", "contour", "marker".</summary>
    public IReadOnlyList<string> Heads { get; }

    public int InChannels { get; }

    /// <summary>Height and width of the network input must be multiples of this (2^depth for a U-Net).</summary>
    public int SizeMultiple { get; }

    /// <summary>The crop width used in training: the target size of the resize mode.</summary>
    public int TrainingSize { get; }

    /// <summary>
    /// Training's input normalisation: an HWC image with InChannels channels (values 0..1) → planar CHW network
    /// input. Must be the very function training used (built from the checkpoint's saved configuration).
    /// It must be affine per channel (x·a[c] + b[c], a and b may depend on the image), which holds for every
    /// normalisation the configuration offers; <see cref="BorderValues"/> relies on it.
    /// </summary>
    public Func<FloatImage, float[]> Normalize { get; }

    /// <summary>
    /// The normalisation behind <see cref="Normalize"/> when it is a configured one (null for a custom function): with
    /// per-image percentiles, a part of a larger image is normalised by the whole image's range through it.
    /// </summary>
    public Normalization? Normalization { get; init; }

    /// <summary>Where the model came from (a checkpoint path), for messages.</summary>
    public string Source { get; }

    /// <summary>Median nucleus diameter (px) of the model's training labels, when its checkpoint records it.</summary>
    public double? MedianDiameter { get; init; }

    /// <summary>The number format the network computes in (fp32 or bf16, never auto).</summary>
    public ComputePrecision Precision { get; internal set; } = ComputePrecision.Fp32;

    /// <summary>What computes <see cref="Network"/>: TorchSharp, or ONNX Runtime on a network exported from the checkpoint.</summary>
    public NetworkRuntime Runtime { get; internal set; } = NetworkRuntime.Torch;

    /// <summary>Where <see cref="Network"/> computes: the CPU, or a GPU through ONNX Runtime's CUDA provider (never auto).</summary>
    public InferenceDevice Device { get; internal set; } = InferenceDevice.Cpu;

    /// <summary>When a GPU was asked for (device auto) and the CPU is used: one line saying why; null otherwise.</summary>
    public string? DeviceFallback { get; internal set; }

    /// <summary>
    /// The network as a detector when it is one (<see cref="Models.IInstanceDetector"/>): segmentation then takes its
    /// detections instead of partitioning <see cref="Network"/>'s maps (its foreground map).
    /// </summary>
    public Models.IInstanceDetector? Detector { get; init; }

    /// <summary>Weight in an ensemble (relative; weights are normalised to sum to 1).</summary>
    public float Weight { get; set; } = 1f;

    private readonly IDisposable? _owned;

    public InferenceModel(Func<Tensor, Tensor> network, IReadOnlyList<string> heads, int inChannels, int sizeMultiple,
        int trainingSize, Func<FloatImage, float[]>? normalize, string source, IDisposable? owned = null)
    {
        if (heads.Count == 0) throw new ArgumentException("a model needs at least one head", nameof(heads));
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels));
        if (sizeMultiple <= 0) throw new ArgumentOutOfRangeException(nameof(sizeMultiple));
        if (trainingSize <= 0 || trainingSize % sizeMultiple != 0)
            throw new ArgumentException($"training size {trainingSize} must be a positive multiple of {sizeMultiple}", nameof(trainingSize));
        Network = network; Heads = heads; InChannels = inChannels; SizeMultiple = sizeMultiple;
        TrainingSize = trainingSize; Normalize = normalize ?? InputPreparation.ToPlanar; Source = source; _owned = owned;
    }

    public void Dispose() => _owned?.Dispose();
}
