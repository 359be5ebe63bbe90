namespace Nuclei.Core.PostProcessing;

/// <summary>
/// Where the markers of the split come from (samuelschen/DSB2018's "Marker" column: P, C or the marker head).
/// </summary>
public enum MarkerSource
{
    /// <summary>The most specific map given: the marker head, else the contour, else distance peaks.</summary>
    Auto,
    /// <summary>Marker head: (marker &amp; ~contour) &amp; body.</summary>
    MarkerHead,
    /// <summary>Contour: body &amp; ~contour, small pieces dropped.</summary>
    Contour,
    /// <summary>Peaks of the distance transform of the body ("P"): ignores the contour and marker maps.</summary>
    Peaks,
}

internal static class MarkerSourceNames
{
    /// <summary>auto | marker | contour | peaks.</summary>
    public static bool TryParse(string? text, out MarkerSource source)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "auto": source = MarkerSource.Auto; return true;
            case "marker": source = MarkerSource.MarkerHead; return true;
            case "contour": source = MarkerSource.Contour; return true;
            case "peaks": source = MarkerSource.Peaks; return true;
            default: source = MarkerSource.Auto; return false;
        }
    }

    public static string ShortName(this MarkerSource source) => source switch
    {
        MarkerSource.MarkerHead => "marker",
        MarkerSource.Contour => "contour",
        MarkerSource.Peaks => "peaks",
        MarkerSource.Auto => "auto",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };
}
