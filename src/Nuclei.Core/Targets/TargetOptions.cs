namespace Nuclei.Core.Targets;

/// <summary>Which maps <see cref="TargetBuilder.Build"/> computes (computing only what training uses saves time per crop).</summary>
[Flags]
internal enum TargetMaps
{
    None = 0,
    Semantic = 1,
    Contour = 2,
    AdjacentBoundary = 4,
    Marker = 8,
    UNetWeight = 16,
    EmphasisWeight = 32,
    All = Semantic | Contour | AdjacentBoundary | Marker | UNetWeight | EmphasisWeight,
}

/// <summary>Parameters of the training targets derived from an instance label map. Defaults follow samuelschen/DSB2018 and the U-Net paper.</summary>
internal sealed record TargetOptions
{
    public TargetMaps Maps { get; init; } = TargetMaps.All;

    /// <summary>Contour thickness in pixels, inside each nucleus (1: its outermost pixel ring).</summary>
    public int ContourThickness { get; init; } = 1;

    /// <summary>
    /// A pixel is "adjacent boundary" when two different nuclei lie within this radius of it (samuelschen/DSB2018's boundary only
    /// where nuclei touch; the 1st-place DSB2018 "separation" target used 1–3 px by nucleus size).
    /// </summary>
    public int AdjacentRadius { get; init; } = 2;

    /// <summary>
    /// Marker: pixels deeper inside their nucleus than this fraction of the nucleus's largest depth (distance to its
    /// edge). Touching nuclei separate, and every nucleus, however small, keeps at least its centre.
    /// </summary>
    public double MarkerDepthFraction { get; init; } = 0.5;

    /// <summary>Value of the semantic target on each nucleus's outermost pixel ring (1: hard labels; samuelschen/DSB2018's soft edges use e.g. 0.5).</summary>
    public float SoftEdgeValue { get; init; } = 1f;

    /// <summary>U-Net weight map: w0 (Ronneberger et al. 2015 used 10).</summary>
    public double UNetW0 { get; init; } = 10;

    /// <summary>U-Net weight map: σ in pixels (paper: 5).</summary>
    public double UNetSigma { get; init; } = 5;

    /// <summary>U-Net weight map: add the class-balancing term w_c (inverse class frequency, mean 1); otherwise w_c = 1.</summary>
    public bool UNetClassBalance { get; init; } = true;

    /// <summary>The emphasis weight map (as samuelschen/DSB2018's): extra weight on contour pixels.</summary>
    public float ContourEmphasis { get; init; } = 2f;

    /// <summary>The emphasis weight map (as samuelschen/DSB2018's): extra weight on each nucleus's centre disc.</summary>
    public float CentroidEmphasis { get; init; } = 2f;

    /// <summary>Radius of the centre disc of the emphasis weight map, in pixels.</summary>
    public int CentroidRadius { get; init; } = 2;
}
