using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Export;

/// <summary>The outline of one nucleus: one polygon per connected piece (usually one), largest first.</summary>
internal sealed record NucleusOutline(int Label, IReadOnlyList<PixelPolygon> Pieces)
{
    /// <summary>The outline of every nucleus of a label map, in label order.</summary>
    public static IReadOnlyList<NucleusOutline> Of(LabelImage labels) =>
        LabelRegions.Of(labels).Select(r =>
        {
            byte[] mask = r.Mask(labels.Width, 0, out int h, out int w);
            var pieces = PixelOutlines.Trace(mask, h, w, r.MinX, r.MinY).OrderByDescending(p => p.Area).ToList();
            return new NucleusOutline(r.Label, pieces);
        }).ToList();
}
