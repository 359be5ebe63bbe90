using Nuclei.Core.PostProcessing;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// The shape facts of one object given as row-major pixel indices: its area, its 8-connected pieces and the
/// number of hole pixels (background enclosed by it, 4-connected as in scipy's binary_fill_holes; a pixel another
/// nucleus claims is not a hole: one nucleus may lie inside another's ring).
/// Works inside the object's bounding box padded by one pixel, so the cost follows the object, not the image.
/// </summary>
internal sealed record ObjectShape(int Area, int[] PieceAreas, int HolePixels)
{
    public int Pieces => PieceAreas.Length;

    /// <param name="claimed">per image pixel, non-zero where some nucleus lies (this one included)</param>
    public static ObjectShape Of(ReadOnlySpan<int> indices, int width, ReadOnlySpan<int> claimed)
    {
        var box = PaddedBox.Of(indices, width);
        var inside = box.Crop(indices, width);
        var labels = ConnectedComponents.Label(box.Height, box.Width, inside, out int pieces);
        var areas = ConnectedComponents.Areas(labels, pieces)[1..];
        var filled = (bool[])inside.Clone();
        HoleFilling.FillHoles(box.Height, box.Width, filled);
        int holes = 0;
        for (int i = 0; i < filled.Length; i++)
        {
            if (!filled[i] || inside[i]) continue;
            int y = box.Top + i / box.Width, x = box.Left + i % box.Width; // enclosed, so inside the image
            if (claimed[y * width + x] == 0) holes++;
        }
        return new ObjectShape(indices.Length, areas, holes);
    }
}
