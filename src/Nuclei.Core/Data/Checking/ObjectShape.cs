using Nuclei.Core.PostProcessing;

namespace Nuclei.Core.Data.Checking;

/// <summary>
/// The shape facts of one object given as row-major pixel indices: its area, its 8-connected pieces and the
/// number of hole pixels (background enclosed by it, 4-connected as in scipy's binary_fill_holes).
/// Works inside the object's bounding box padded by one pixel, so the cost follows the object, not the image.
/// </summary>
public sealed record ObjectShape(int Area, int[] PieceAreas, int HolePixels)
{
    public int Pieces => PieceAreas.Length;

    public static ObjectShape Of(ReadOnlySpan<int> indices, int width)
    {
        var box = PaddedBox.Of(indices, width);
        var inside = box.Crop(indices, width);
        var labels = ConnectedComponents.Label(box.Height, box.Width, inside, out int pieces);
        var areas = ConnectedComponents.Areas(labels, pieces)[1..];
        var filled = (bool[])inside.Clone();
        HoleFilling.FillHoles(box.Height, box.Width, filled);
        int holes = 0;
        for (int i = 0; i < filled.Length; i++) if (filled[i] && !inside[i]) holes++;
        return new ObjectShape(indices.Length, areas, holes);
    }
}
