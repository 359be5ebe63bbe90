namespace Nuclei;

/// <summary>How <see cref="NucleiSegmenter"/> finds nuclei.</summary>
public enum SegmentationMethod
{
    /// <summary>A trained network (the bundled model, a checkpoint, or an ensemble), then post-processing of its maps.</summary>
    Model,
    /// <summary>No network: Otsu threshold and a distance-peak watershed (or random walker).</summary>
    Classical,
}
