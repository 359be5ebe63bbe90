namespace Nuclei.Core.Big;

/// <summary>
/// One block of a big image: its <see cref="Core"/> (the blocks' cores tile the image without overlap) and the
/// <see cref="Window"/> that is read and segmented, the core grown by the context margin on every side (clipped to
/// the image), so that a nucleus whose centre lies in the core is seen whole.
/// </summary>
internal sealed record Block(int Index, int Row, int Column, PixelRect Core, PixelRect Window);

/// <summary>The blocks of an image, row by row, left to right (the order they are segmented and stitched in).</summary>
internal sealed record BlockPlan(int Height, int Width, int BlockSize, int Context, IReadOnlyList<IReadOnlyList<Block>> Rows)
{
    public int Count => Rows.Sum(r => r.Count);

    /// <param name="blockSize">side of a block's core in pixels</param>
    /// <param name="context">margin read around each core; at least the diameter of the largest nucleus</param>
    public static BlockPlan Of(int height, int width, int blockSize, int context)
    {
        if (height <= 0 || width <= 0) throw new ArgumentException($"image size must be positive, got {height}x{width}");
        if (blockSize <= 0) throw new ArgumentException($"block size must be positive, got {blockSize}");
        if (context < 0 || context > blockSize)
            throw new ArgumentException($"block context must be within 0..block size ({blockSize}), got {context}");
        var rows = new List<IReadOnlyList<Block>>();
        int index = 0;
        for (int y = 0, r = 0; y < height; y += blockSize, r++)
        {
            var row = new List<Block>();
            for (int x = 0, c = 0; x < width; x += blockSize, c++)
            {
                var core = new PixelRect(x, y, Math.Min(blockSize, width - x), Math.Min(blockSize, height - y));
                int x0 = Math.Max(0, x - context), y0 = Math.Max(0, y - context);
                var window = new PixelRect(x0, y0, Math.Min(width, core.Right + context) - x0, Math.Min(height, core.Bottom + context) - y0);
                row.Add(new Block(index++, r, c, core, window));
            }
            rows.Add(row);
        }
        return new BlockPlan(height, width, blockSize, context, rows);
    }
}
