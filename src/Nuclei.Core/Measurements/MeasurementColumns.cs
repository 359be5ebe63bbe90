namespace Nuclei.Core.Measurements;

/// <summary>
/// The measurements of a nucleus as named values, the one list both <c>measurements.csv</c> and the GeoJSON
/// properties are made from. Sizes are in pixels (<c>area_px</c>, <c>perimeter_px</c>, ...) or, with a pixel size,
/// in micrometres (<c>area_um2</c>, <c>perimeter_um</c>, ...); centroid and bounding box stay in pixels so they
/// locate the nucleus in the label map. Intensity columns repeat per channel (<c>_ch1</c>, <c>_ch2</c>, ...).
/// </summary>
internal static class MeasurementColumns
{
    static readonly string[] IntensityStats = { "mean", "median", "min", "max", "std", "integrated" };

    public static IReadOnlyList<string> Names(double? pixelSizeUm, int channels) =>
        Values(Placeholder, pixelSizeUm, channels).Select(c => c.Name).ToList();

    /// <summary>Name and value of every column; intensity values are null for channels the nucleus' image lacks.</summary>
    public static IEnumerable<(string Name, double? Value)> Values(NucleusMeasurement m, double? pixelSizeUm, int channels)
    {
        double s = pixelSizeUm ?? 1;
        string len = pixelSizeUm is null ? "_px" : "_um", area = pixelSizeUm is null ? "_px" : "_um2";
        yield return ("area" + area, m.Area * s * s);
        yield return ("perimeter" + len, m.Perimeter * s);
        yield return ("centroid_x_px", m.CentroidX);
        yield return ("centroid_y_px", m.CentroidY);
        yield return ("bbox_x_px", m.BoxX);
        yield return ("bbox_y_px", m.BoxY);
        yield return ("bbox_width_px", m.BoxWidth);
        yield return ("bbox_height_px", m.BoxHeight);
        yield return ("equivalent_diameter" + len, m.EquivalentDiameter * s);
        yield return ("major_axis_length" + len, m.MajorAxisLength * s);
        yield return ("minor_axis_length" + len, m.MinorAxisLength * s);
        yield return ("orientation_rad", m.Orientation);
        yield return ("eccentricity", m.Eccentricity);
        yield return ("solidity", m.Solidity);
        yield return ("extent", m.Extent);
        yield return ("circularity", m.Circularity);
        yield return ("touches_border", m.TouchesBorder ? 1 : 0);
        for (int c = 0; c < channels; c++)
        {
            var t = c < m.Intensity.Count ? m.Intensity[c] : null;
            double?[] v = { t?.Mean, t?.Median, t?.Min, t?.Max, t?.Std, t?.Integrated };
            for (int k = 0; k < IntensityStats.Length; k++)
                yield return ($"intensity_{IntensityStats[k]}_ch{c + 1}", v[k]);
        }
    }

    static readonly NucleusMeasurement Placeholder =
        new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, Array.Empty<IntensityMeasurement>());
}
