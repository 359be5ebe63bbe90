using Nuclei.Core.Settings;
using static Nuclei.Core.PostProcessing.PostProcessingValues;

namespace Nuclei.Core.PostProcessing;

/// <summary>Settings of <see cref="Partition.Run"/>: probability maps → separate nuclei.</summary>
public sealed record PartitionOptions
{
    /// <summary>ws (watershed) or rw (random walker).</summary>
    public SplitPolicy Policy { get; init; } = SplitPolicy.Watershed;

    /// <summary>Where the markers come from; a source whose map is not given falls back as in <see cref="MarkerSource.Auto"/>.</summary>
    public MarkerSource MarkerSource { get; init; } = MarkerSource.Auto;

    /// <summary>Body pixels are those with probability &gt; this.</summary>
    public float ThresholdBody { get; init; } = 0.5f;
    /// <summary>Contour pixels are those with probability &gt; this.</summary>
    public float ThresholdContour { get; init; } = 0.5f;
    /// <summary>Marker pixels are those with probability &gt; this.</summary>
    public float ThresholdMarker { get; init; } = 0.5f;

    /// <summary>Objects with fewer pixels are dropped at the end (false positives cost as much as misses).</summary>
    public int MinSize { get; init; } = 10;
    /// <summary>Marker pieces (from contour or marker maps) with fewer pixels are dropped.</summary>
    public int MinMarkerSize { get; init; } = 5;
    /// <summary>Minimum distance between distance-transform peaks; null = from the typical nucleus size of the image.</summary>
    public int? PeakMinDistance { get; init; }
    /// <summary>Without <see cref="PeakMinDistance"/>: the fraction of the typical nucleus radius used as minimum peak distance.</summary>
    public double PeakDistanceFraction { get; init; } = Markers.DefaultPeakDistanceFraction;

    /// <summary>What the watershed floods.</summary>
    public WatershedLandscape Landscape { get; init; } = WatershedLandscape.NegativeDistance;
    /// <summary>Watershed with 8-neighbourhood (otherwise 4).</summary>
    public bool EightConnected { get; init; }
    /// <summary>Compact watershed strength (0 = classic watershed).</summary>
    public double Compactness { get; init; }
    /// <summary>Leave one-pixel lines of background between touching nuclei.</summary>
    public bool WatershedLine { get; init; }

    /// <summary>Random walker β (skimage's convention).</summary>
    public double Beta { get; init; } = 130;
    /// <summary>Random walker conjugate-gradient relative tolerance.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Body pieces that received no marker become objects of their own.</summary>
    public bool AddMissedBlobs { get; init; } = true;
    /// <summary>Fill the holes of every object.</summary>
    public bool FillHoles { get; init; } = true;
    /// <summary>Drop objects touching the image border.</summary>
    public bool RemoveBorderObjects { get; init; }
    /// <summary>Drop a giant elongated object (samuelschen/DSB2018's filter_fiber).</summary>
    public bool RemoveFiber { get; init; }

    /// <summary>
    /// The settings configuration files, checkpoints and users give these options by, each declared once: a new key is
    /// an entry here, its property above, its default in config/default.ini and its use in <see cref="Partition"/>.
    /// Saved configurations are read in this order (a size is set before <c>remove_objects</c> can clear it); options
    /// with a <see cref="PostProcessingKey.Setting"/> are flags of segment and partition, listed in this order within their group.
    /// </summary>
    internal static readonly IReadOnlyList<PostProcessingKey> Keys =
    [
        new PostProcessingKey<float>("param", "threshold", Unit, (o, v) => o with { ThresholdBody = v }, o => o.ThresholdBody)
        {
            Setting = Setting.Threshold, Group = PostProcessingGroup.Thresholds, NetworkOnly = true,
            Help = "[param] threshold: body pixels have a probability above this",
        },
        new PostProcessingKey<float>("param", "threshold_edge", Unit, (o, v) => o with { ThresholdContour = v }, o => o.ThresholdContour)
        {
            Setting = Setting.ThresholdEdge, Group = PostProcessingGroup.Thresholds, NetworkOnly = true,
            Help = "[param] threshold_edge: contour pixels have a probability above this",
        },
        new PostProcessingKey<float>("param", "threshold_mark", Unit, (o, v) => o with { ThresholdMarker = v }, o => o.ThresholdMarker)
        {
            Setting = Setting.ThresholdMark, Group = PostProcessingGroup.Thresholds, NetworkOnly = true,
            Help = "[param] threshold_mark: marker pixels have a probability above this",
        },
        new PostProcessingKey<SplitPolicy>("post", "policy", PostProcessingValues.Policy, (o, v) => o with { Policy = v }, o => o.Policy)
        {
            Setting = Setting.Policy, Group = PostProcessingGroup.Splitting, EmptyReadsDefault = true,
            Help = "[post] policy: the ALGORITHM that splits touching nuclei: ws (marker-controlled watershed) or rw (random walker)",
        },
        new PostProcessingKey<MarkerSource>("post", "markers", PostProcessingValues.Markers, (o, v) => o with { MarkerSource = v }, o => o.MarkerSource)
        {
            Setting = Setting.Markers, Group = PostProcessingGroup.Splitting, NetworkOnly = true, EmptyReadsDefault = true,
            Help = "[post] markers: the MARKERS (starting points) that algorithm grows nuclei from: auto (the marker map if there is one, else body minus contour, else peaks), marker (marker map), contour (body minus contour), or peaks (distance-transform peaks of the body)",
        },
        new PostProcessingKey<int>("post", "min_object_size", Count, (o, v) => o with { MinSize = v }, o => o.MinSize)
        {
            Setting = Setting.MinObjectSize, Group = PostProcessingGroup.Thresholds,
            Help = "[post] min_object_size: drop nuclei smaller than this many pixels",
        },
        // without it no size is removed, whatever min_object_size says
        new PostProcessingKey<bool>("post", "remove_objects", Flag, (o, v) => v ? o : o with { MinSize = 0 }, o => o.MinSize > 0),
        new PostProcessingKey<bool>("post", "fill_holes", Flag, (o, v) => o with { FillHoles = v }, o => o.FillHoles),
    ];

    /// <summary>Throws ArgumentException naming the bad setting.</summary>
    public void Validate()
    {
        static void Unit(float v, string name) { if (!(v >= 0 && v <= 1)) throw new ArgumentException($"{name} must be within 0..1, got {v}"); }
        Unit(ThresholdBody, "threshold"); Unit(ThresholdContour, "threshold_edge"); Unit(ThresholdMarker, "threshold_mark");
        if (MinSize < 0) throw new ArgumentException($"min_object_size must be >= 0, got {MinSize}");
        if (MinMarkerSize < 0) throw new ArgumentException($"min-marker-size must be >= 0, got {MinMarkerSize}");
        if (PeakMinDistance is < 1) throw new ArgumentException($"peak min distance must be >= 1, got {PeakMinDistance}");
        if (Compactness < 0) throw new ArgumentException($"compactness must be >= 0, got {Compactness}");
        if (!(Beta > 0)) throw new ArgumentException($"beta must be > 0, got {Beta}");
        if (!(Tolerance > 0)) throw new ArgumentException($"tolerance must be > 0, got {Tolerance}");
    }
}
