namespace Nuclei.Core.Data.Converting;

/// <summary>The annotation layouts <c>nuclei data convert</c> reads and writes.</summary>
internal enum AnnotationFormat
{
    /// <summary>DSB2018: <c>&lt;id&gt;/images/&lt;id&gt;.png</c>, one binary mask per nucleus in <c>&lt;id&gt;/masks/</c>.</summary>
    Dsb,
    /// <summary>Label-map folder: <c>&lt;id&gt;.png</c> beside <c>&lt;id&gt;.labels.png</c> (also read: <c>&lt;id&gt;_labels.png</c>, .tif).</summary>
    Labels,
    /// <summary>Kaggle run-length CSV: <c>ImageId,EncodedPixels,Height,Width</c>, one row per nucleus; the images live elsewhere.</summary>
    Rle,
    /// <summary>Cellpose: <c>&lt;id&gt;.png</c> beside <c>&lt;id&gt;_masks.png</c> (or .tif).</summary>
    Cellpose,
    /// <summary>StarDist: <c>images/&lt;id&gt;.tif</c> and label TIFFs <c>masks/&lt;id&gt;.tif</c>.</summary>
    StarDist,
}

internal static class AnnotationFormatNames
{
    public static readonly IReadOnlyList<string> All = new[] { "dsb", "labels", "rle", "cellpose", "stardist" };

    public static bool TryParse(string text, out AnnotationFormat format)
    {
        int k = All.ToList().FindIndex(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        format = (AnnotationFormat)Math.Max(k, 0);
        return k >= 0;
    }

    public static string Name(this AnnotationFormat format) => All[(int)format];
}
