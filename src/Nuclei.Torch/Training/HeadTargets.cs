using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Core.Targets;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Training;

/// <summary>
/// The targets of a network's heads, in head order, from <see cref="TargetBuilder"/>: semantic = nuclei (optionally
/// soft edges); contour = the boundary where nuclei touch ([contour] adjacent_boundary_only, samuelschen/DSB2018's better
/// choice) or every nucleus contour; marker = shrunk nuclei. When the loss is weighted, samuelschen/DSB2018's emphasis map
/// (contours and centres weigh more) is built too, the same for every head.
/// </summary>
internal sealed class HeadTargets : ITrainingTargets
{
    readonly HeadKind[] _heads;
    readonly TargetOptions _options;
    readonly bool _adjacentOnly, _weighted;

    public HeadTargets(IReadOnlyList<HeadKind> heads, TargetOptions options, bool adjacentOnly, bool weighted)
    {
        _heads = heads.ToArray(); _adjacentOnly = adjacentOnly; _weighted = weighted;
        var maps = TargetMaps.None;
        foreach (var h in _heads)
            maps |= h switch
            {
                HeadKind.Semantic => TargetMaps.Semantic,
                HeadKind.Contour => adjacentOnly ? TargetMaps.AdjacentBoundary : TargetMaps.Contour,
                HeadKind.Marker => TargetMaps.Marker,
                _ => throw new ArgumentOutOfRangeException(nameof(heads), h, "no training target for this head"),
            };
        if (weighted) maps |= TargetMaps.EmphasisWeight;
        _options = options with { Maps = maps };
    }

    /// <param name="weighted">build the emphasis weight map (when the loss uses it)</param>
    public static HeadTargets Create(IReadOnlyList<HeadKind> heads, NucleiConfiguration c, bool weighted) => new(heads,
        new TargetOptions
        {
            AdjacentRadius = c.GetInt("contour", "adjacent_radius"),
            ContourThickness = c.GetInt("contour", "thickness"),
            MarkerDepthFraction = c.GetDouble("contour", "marker_depth_fraction"),
            SoftEdgeValue = (float)c.GetDouble("contour", "soft_edge"),
            ContourEmphasis = (float)c.GetDouble("contour", "contour_emphasis"),
            CentroidEmphasis = (float)c.GetDouble("contour", "centroid_emphasis"),
        },
        c.GetBool("contour", "adjacent_boundary_only"), weighted);

    public int HeadCount => _heads.Length;
    public bool HasWeights => _weighted;

    public void Build(LabelImage labels, float[] targets, int targetOffset, float[]? weights, int weightOffset)
    {
        var t = TargetBuilder.Build(labels, _options);
        int plane = labels.PixelCount;
        for (int k = 0; k < _heads.Length; k++)
        {
            float[] map = _heads[k] switch
            {
                HeadKind.Semantic => t.Semantic!,
                HeadKind.Contour => _adjacentOnly ? t.AdjacentBoundary! : t.Contour!,
                HeadKind.Marker => t.Marker!,
                var h => throw new InvalidOperationException($"no training target for head {h}"),
            };
            Array.Copy(map, 0, targets, targetOffset + k * plane, plane);
            if (weights != null) Array.Copy(t.EmphasisWeight!, 0, weights, weightOffset + k * plane, plane);
        }
    }
}
