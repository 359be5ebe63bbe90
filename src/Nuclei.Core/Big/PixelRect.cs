namespace Nuclei.Core.Big;

/// <summary>A rectangle of pixels: first column X, first row Y, and its size (exclusive ends <see cref="Right"/>, <see cref="Bottom"/>).</summary>
internal readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public long Pixels => (long)Width * Height;

    public bool Contains(double x, double y) => x >= X && x < Right && y >= Y && y < Bottom;
}
