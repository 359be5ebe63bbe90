namespace Nuclei.Core.PostProcessing;

/// <summary>Settings of <see cref="ClassicalSegmenter"/> (no deep learning).</summary>
internal sealed record ClassicalOptions
{
    /// <summary>ws (watershed on −distance) or rw (random walker on the foreground).</summary>
    public SplitPolicy Policy { get; init; } = SplitPolicy.Watershed;
    /// <summary>Foreground pieces and final objects with fewer pixels are dropped.</summary>
    public int MinSize { get; init; } = 20;
    /// <summary>Minimum distance between distance-transform peaks; null = from the typical nucleus size of the image.</summary>
    public int? PeakMinDistance { get; init; }
    /// <summary>Without <see cref="PeakMinDistance"/>: the fraction of the typical nucleus radius used as minimum peak distance.</summary>
    public double PeakDistanceFraction { get; init; } = Markers.DefaultPeakDistanceFraction;
    /// <summary>Nuclei darker than the background (true), brighter (false), or decide from the image (null).</summary>
    public bool? DarkNuclei { get; init; }
    /// <summary>Random walker β.</summary>
    public double Beta { get; init; } = 130;
}
