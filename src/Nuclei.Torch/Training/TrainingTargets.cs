using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Training;

/// <summary>
/// Per-head targets from a label map, in the order of the network's heads:
/// semantic = any nucleus; contour = the boundary where two nuclei touch (adjacent_boundary_only, seed 000's
/// better choice: pixels with two different nuclei within the contour width, after topcoders' "separation"
/// channel) or every nucleus border; marker = nuclei shrunk by the contour width plus one so touching ones
/// separate (markers = semantic − contour, as the seed derived them).
/// </summary>
public sealed class TrainingTargets : ITrainingTargets
{
    readonly HeadKind[] _heads;
    readonly bool _adjacentOnly;
    readonly int _radius;

    public TrainingTargets(IReadOnlyList<HeadKind> heads, bool adjacentOnly, int radius)
    {
        _heads = heads.ToArray(); _adjacentOnly = adjacentOnly; _radius = Math.Max(1, radius);
    }

    public static TrainingTargets Create(IReadOnlyList<HeadKind> heads, NucleiConfiguration config) =>
        new(heads, config.GetBool("contour", "adjacent_boundary_only"), config.GetInt("contour", "width"));

    public int HeadCount => _heads.Length;
    public bool HasWeights => false;

    public void Build(LabelImage labels, float[] targets, int targetOffset, float[]? weights, int weightOffset)
    {
        int h = labels.Height, w = labels.Width, plane = h * w;
        var l = labels.Data;
        for (int k = 0; k < _heads.Length; k++)
        {
            int o = targetOffset + k * plane;
            switch (_heads[k])
            {
                case HeadKind.Semantic:
                    for (int i = 0; i < plane; i++) targets[o + i] = l[i] > 0 ? 1f : 0f;
                    break;
                case HeadKind.Contour:
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                            targets[o + y * w + x] = IsBoundary(l, h, w, y, x, _radius, _adjacentOnly) ? 1f : 0f;
                    break;
                case HeadKind.Marker:
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++)
                            targets[o + y * w + x] = IsInterior(l, h, w, y, x, _radius + 1) ? 1f : 0f;
                    break;
            }
        }
    }

    /// <summary>Adjacent: two different nuclei within the radius. Full contour: a nucleus pixel with another value (or background) within the radius.</summary>
    static bool IsBoundary(int[] l, int h, int w, int y, int x, int r, bool adjacentOnly)
    {
        int own = l[y * w + x];
        if (!adjacentOnly && own == 0) return false;
        int first = own;
        for (int dy = -r; dy <= r; dy++)
        {
            int yy = y + dy;
            if (yy < 0 || yy >= h) continue;
            for (int dx = -r; dx <= r; dx++)
            {
                int xx = x + dx;
                if (xx < 0 || xx >= w) continue;
                int v = l[yy * w + xx];
                if (adjacentOnly)
                {
                    if (v == 0) continue;
                    if (first == 0) first = v;
                    else if (v != first) return true;
                }
                else if (v != own) return true;
            }
        }
        return false;
    }

    /// <summary>A nucleus pixel whose whole neighbourhood within the radius is the same nucleus.</summary>
    static bool IsInterior(int[] l, int h, int w, int y, int x, int r)
    {
        int own = l[y * w + x];
        if (own == 0) return false;
        for (int dy = -r; dy <= r; dy++)
        {
            int yy = Math.Clamp(y + dy, 0, h - 1);
            for (int dx = -r; dx <= r; dx++)
                if (l[yy * w + Math.Clamp(x + dx, 0, w - 1)] != own) return false;
        }
        return true;
    }
}
