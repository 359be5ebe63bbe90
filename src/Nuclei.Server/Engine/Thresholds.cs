using Nuclei.Core;

namespace Nuclei.Server.Engine;

/// <summary>The post-processing settings the page lets the user change; everything else comes from the model's configuration.</summary>
/// <param name="Body">body (semantic) probability threshold, 0..1</param>
/// <param name="Contour">contour probability threshold, 0..1</param>
/// <param name="Marker">marker probability threshold, 0..1</param>
/// <param name="MinSize">nuclei smaller than this many pixels are dropped</param>
internal sealed record Thresholds(float Body, float Contour, float Marker, int MinSize)
{
    /// <summary>Throws an input error naming the first value out of range.</summary>
    public void Validate()
    {
        static void Unit(float v, string name)
        {
            if (!(v >= 0 && v <= 1)) throw new NucleiInputException(null, $"threshold {name} must be within 0..1, got {v}");
        }
        Unit(Body, "body"); Unit(Contour, "contour"); Unit(Marker, "marker");
        if (MinSize < 0 || MinSize > MaxMinSize) throw new NucleiInputException(null, $"min size must be within 0..{MaxMinSize} pixels, got {MinSize}");
    }

    /// <summary>The largest minimum nucleus size the page offers.</summary>
    public const int MaxMinSize = 100_000;
}
