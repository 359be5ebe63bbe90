using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Inference;

/// <summary>Per-head probability maps (1-channel FloatImages, 0..1) of one image, keyed by head name.</summary>
public sealed class HeadProbabilities
{
    public const string Semantic = "semantic", Contour = "contour", Marker = "marker";

    public IReadOnlyList<string> Heads { get; }
    public IReadOnlyList<FloatImage> Maps { get; }

    public HeadProbabilities(IReadOnlyList<string> heads, IReadOnlyList<FloatImage> maps)
    {
        if (heads.Count != maps.Count) throw new ArgumentException("one map per head");
        Heads = heads; Maps = maps;
    }

    /// <summary>The map of a head, or null when the model has no such head.</summary>
    public FloatImage? Get(string head)
    {
        for (int i = 0; i < Heads.Count; i++)
            if (string.Equals(Heads[i], head, StringComparison.OrdinalIgnoreCase)) return Maps[i];
        return null;
    }

    public int Height => Maps[0].Height;
    public int Width => Maps[0].Width;
}
