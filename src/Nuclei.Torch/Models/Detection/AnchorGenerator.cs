using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Anchor boxes over the feature pyramid as torchvision's AnchorGenerator: one size per level (Lin et al. 2017, "Feature
/// Pyramid Networks for Object Detection": one scale per level, three aspect ratios), centred on the top-left corner of
/// each feature cell (torchvision's convention), for every cell of every level. For each location the anchors come in
/// ratio order, the order in which the RPN head's outputs are flattened.
/// </summary>
internal sealed class AnchorGenerator
{
    private readonly double[] _sizes, _ratios;

    /// <param name="sizes">anchor side (px) per pyramid level, finest first</param>
    /// <param name="ratios">height / width ratios, the same at every level</param>
    public AnchorGenerator(IReadOnlyList<double> sizes, IReadOnlyList<double> ratios)
    {
        if (sizes.Count == 0 || ratios.Count == 0) throw new ArgumentException("anchors need at least one size and one ratio");
        _sizes = sizes.ToArray();
        _ratios = ratios.ToArray();
    }

    public int AnchorsPerLocation => _ratios.Length;

    public int Levels => _sizes.Length;

    /// <summary>The anchors of one location of <paramref name="level"/>, centred on (0, 0): [A, 4], rounded as torchvision rounds them.</summary>
    public Tensor CellAnchors(int level)
    {
        var values = new float[_ratios.Length * 4];
        for (int a = 0; a < _ratios.Length; a++)
        {
            double hRatio = Math.Sqrt(_ratios[a]), wRatio = 1 / hRatio;
            double halfW = wRatio * _sizes[level] / 2, halfH = hRatio * _sizes[level] / 2;
            values[4 * a] = (float)Math.Round(-halfW, MidpointRounding.ToEven);
            values[4 * a + 1] = (float)Math.Round(-halfH, MidpointRounding.ToEven);
            values[4 * a + 2] = (float)Math.Round(halfW, MidpointRounding.ToEven);
            values[4 * a + 3] = (float)Math.Round(halfH, MidpointRounding.ToEven);
        }
        return tensor(values, new long[] { _ratios.Length, 4 });
    }

    /// <summary>All anchors of a level of <paramref name="height"/> × <paramref name="width"/> cells at <paramref name="stride"/> px: [H·W·A, 4].</summary>
    public Tensor ForLevel(int level, long height, long width, long stride)
    {
        using var scope = NewDisposeScope();
        var ys = arange(0, height * stride, stride, dtype: ScalarType.Float32);
        var xs = arange(0, width * stride, stride, dtype: ScalarType.Float32);
        var grid = meshgrid([ys, xs], indexing: "ij");
        var y = grid[0].reshape(-1);
        var x = grid[1].reshape(-1);
        var shifts = stack([x, y, x, y], 1);                        // [H·W, 4]
        var anchors = shifts[.., TensorIndex.None, ..] + CellAnchors(level)[TensorIndex.None, .., ..];
        return anchors.reshape(-1, 4).MoveToOuterDisposeScope();
    }

    /// <summary>The anchors of every level for an image of <paramref name="imageHeight"/> × <paramref name="imageWidth"/> px and the levels' sizes.</summary>
    public Tensor[] ForImage(long imageHeight, long imageWidth, IReadOnlyList<(long Height, long Width)> levelSizes)
    {
        if (levelSizes.Count != _sizes.Length) throw new ArgumentException($"{levelSizes.Count} feature levels for {_sizes.Length} anchor sizes");
        return levelSizes.Select((s, level) => ForLevel(level, s.Height, s.Width, imageHeight / s.Height)).ToArray();
    }
}
