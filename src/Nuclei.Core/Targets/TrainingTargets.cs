namespace Nuclei.Core.Targets;

/// <summary>
/// Per-pixel training targets of one label map (row-major, Height·Width each). A map not requested in
/// <see cref="TargetOptions.Maps"/> is null. Targets are 0..1; weight maps are ≥ 0.
/// </summary>
internal sealed class TrainingTargets
{
    public required int Height { get; init; }
    public required int Width { get; init; }

    /// <summary>1 inside nuclei (the soft-edge value on their outer ring), 0 outside.</summary>
    public float[]? Semantic { get; init; }

    /// <summary>1 on every nucleus's inner contour (of the configured thickness).</summary>
    public float[]? Contour { get; init; }

    /// <summary>1 where two different nuclei are within the adjacent radius: boundary only where nuclei touch.</summary>
    public float[]? AdjacentBoundary { get; init; }

    /// <summary>1 on the shrunk nuclei (separate for touching nuclei; a centre for tiny ones).</summary>
    public float[]? Marker { get; init; }

    /// <summary>U-Net paper weight map w(x) = w_c(x) + w0·exp(−(d1 + d2)² / 2σ²).</summary>
    public float[]? UNetWeight { get; init; }

    /// <summary>samuelschen/DSB2018's weight map: 1 + contour emphasis on contours + centroid emphasis on nucleus centres.</summary>
    public float[]? EmphasisWeight { get; init; }
}
