using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using Nuclei.Core.Staining;
using Nuclei.Torch.Inference;

namespace Nuclei;

/// <summary>The nuclei of one image: the label map, their count, the per-nucleus measurements and the maps they came from.</summary>
public sealed class SegmentationResult
{
    private readonly Lazy<IReadOnlyList<NucleusMeasurement>> _nuclei;

    internal SegmentationResult(FloatImage image, LabelImage labels, HeadProbabilities? maps, string? source, ImageScale? scale = null, Stain? stain = null,
        int removedOnEdges = 0)
    {
        Image = image; Labels = labels; Maps = maps; Source = source; Scale = scale; Stain = stain; RemovedOnEdges = removedOnEdges;
        Count = labels.MaxLabel();
        _nuclei = new(() => RegionMeasurer.Measure(labels, image));
    }

    /// <summary>The image as read (0..1 per channel).</summary>
    public FloatImage Image { get; }

    /// <summary>0 = background, 1..<see cref="Count"/> = one value per nucleus, at the image's size.</summary>
    public LabelImage Labels { get; }

    /// <summary>The number of nuclei.</summary>
    public int Count { get; }

    /// <summary>Size, shape and intensity of every nucleus (scikit-image regionprops definitions), computed on first use.</summary>
    public IReadOnlyList<NucleusMeasurement> Nuclei => _nuclei.Value;

    /// <summary>The network's per-head probability maps at the image's size (null for the classical method): give them to <see cref="NucleiSegmenter.PostProcess(SegmentationResult, PostProcessingSettings)"/> to try other thresholds without predicting again.</summary>
    public HeadProbabilities? Maps { get; }

    /// <summary>
    /// The scale the network saw the image at: the nucleus diameter given or estimated (<see cref="SegmenterOptions.Diameter"/>)
    /// and the resize factor (1 without a diameter); null for the classical method.
    /// </summary>
    public ImageScale? Scale { get; }

    /// <summary>
    /// What the network was shown of the image (<see cref="SegmenterOptions.Stain"/>, with auto settled for this image:
    /// none, he or ihc, never auto); null for the classical method.
    /// </summary>
    public Stain? Stain { get; }

    /// <summary>The nuclei removed because they touched the image border (<see cref="SegmenterOptions.ExcludeOnEdges"/>; 0 without it).</summary>
    public int RemovedOnEdges { get; }

    /// <summary>The file the image came from, when it came from one.</summary>
    public string? Source { get; }
}
