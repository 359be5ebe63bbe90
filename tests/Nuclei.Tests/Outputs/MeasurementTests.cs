using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Tests.Outputs;

public class MeasurementTests
{
    /// <summary>A rectangle, a disk, a rotated ellipse and an L touching the top border (the shapes the oracle values were computed on).</summary>
    internal static LabelImage Shapes()
    {
        var labels = new LabelImage(30, 44);
        for (int y = 2; y < 7; y++) for (int x = 3; x < 11; x++) labels[y, x] = 1;
        for (int y = 0; y < 30; y++)
        for (int x = 0; x < 44; x++)
        {
            if ((y - 18) * (y - 18) + (x - 12) * (x - 12) < 36) labels[y, x] = 2;
            double dx = x - 30, dy = y - 18;
            double u = dx * Math.Cos(0.5) + dy * Math.Sin(0.5), v = -dx * Math.Sin(0.5) + dy * Math.Cos(0.5);
            if ((u / 10) * (u / 10) + (v / 4) * (v / 4) < 1) labels[y, x] = 3;
        }
        for (int y = 0; y < 4; y++) for (int x = 30; x < 32; x++) labels[y, x] = 4;
        for (int x = 32; x < 36; x++) labels[3, x] = 4;
        return labels;
    }

    // Oracle: scikit-image 0.19.3 regionprops on the same label map (area, perimeter, centroid row/col,
    // major and minor axis length, orientation, eccentricity, solidity, extent).
    public static IEnumerable<object[]> Oracle => new object[][]
    {
        new object[] { 1, 40, 22.0, 4.0, 6.5, 9.16515138991168, 5.656854249492381, 1.5707963267948966, 0.7867957924694432, 1.0, 1.0 },
        new object[] { 2, 109, 35.31370849898476, 18.0, 12.0, 11.783988514976622, 11.783988514976622, double.NaN, 0.0, 1.0, 0.9008264462809917 },
        new object[] { 3, 119, 43.798989873223334, 18.0, 30.0, 19.35082169872137, 7.804296516798251, 1.082610648422642, 0.9150653089258756, 0.952, 0.6363636363636364 },
        new object[] { 4, 12, 10.0, 2.0, 31.5, 7.085287262874141, 3.5306332391258266, 1.0646978210692295, 0.8670018706890904, 0.7058823529411765, 0.5 },
    };

    [Theory]
    [MemberData(nameof(Oracle))]
    public void Shape_measurements_match_scikit_image(int label, int area, double perimeter, double cy, double cx,
        double major, double minor, double orientation, double eccentricity, double solidity, double extent)
    {
        var m = RegionMeasurer.Measure(Shapes(), image: null).Single(n => n.Label == label);
        Assert.Equal(area, m.Area);
        Assert.Equal(perimeter, m.Perimeter, 9);
        Assert.Equal((cy, cx), (Math.Round(m.CentroidY, 9), Math.Round(m.CentroidX, 9)));
        Assert.Equal(major, m.MajorAxisLength, 9);
        Assert.Equal(minor, m.MinorAxisLength, 9);
        if (!double.IsNaN(orientation)) Assert.Equal(orientation, m.Orientation, 9); // a disk has none
        Assert.Equal(eccentricity, m.Eccentricity, 6);
        Assert.Equal(solidity, m.Solidity, 9);
        Assert.Equal(extent, m.Extent, 9);
        Assert.Equal(4 * Math.PI * area / (perimeter * perimeter), m.Circularity, 9);
        Assert.Equal(label == 4, m.TouchesBorder);
        Assert.Equal(Math.Sqrt(4 * area / Math.PI), m.EquivalentDiameter, 9);
    }

    [Fact]
    public void Intensity_statistics_are_per_channel_over_the_nucleus_pixels()
    {
        var labels = new LabelImage(2, 3, new[] { 1, 1, 0, 1, 1, 0 });
        var image = new FloatImage(2, 3, 2);
        float[] values = { 0.1f, 0.4f, 9f, 0.2f, 0.3f, 9f };
        for (int i = 0; i < 6; i++) { image.Data[2 * i] = values[i]; image.Data[2 * i + 1] = 1 - values[i]; }
        var t = RegionMeasurer.Measure(labels, image).Single().Intensity;
        Assert.Equal(2, t.Count);
        Assert.Equal(0.25, t[0].Mean, 6);
        Assert.Equal(0.25, t[0].Median, 6);
        Assert.Equal(0.1, t[0].Min, 6);
        Assert.Equal(0.4, t[0].Max, 6);
        Assert.Equal(Math.Sqrt(0.0125), t[0].Std, 6);
        Assert.Equal(1.0, t[0].Integrated, 6);
        Assert.Equal(0.75, t[1].Mean, 6);
    }

    [Fact]
    public void The_csv_names_its_units_and_scales_sizes_by_the_pixel_size()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("nuclei-measure-").FullName, "m.csv");
        try
        {
            var nuclei = RegionMeasurer.Measure(Shapes(), image: null);
            MeasurementsCsv.Write(path, new[] { ("img", nuclei) }, pixelSizeUm: 0.5);
            var lines = File.ReadAllLines(path);
            var header = lines[0].Split(',');
            Assert.Equal(5, lines.Length);
            Assert.Equal(new[] { "image", "label", "area_um2", "perimeter_um" }, header[..4]);
            Assert.Contains("centroid_x_px", header);
            var first = lines[1].Split(',');
            Assert.Equal(("img", "1", "10", "11"), (first[0], first[1], first[2], first[3])); // 40 px × 0.25 µm², 22 px × 0.5 µm
        }
        finally { Directory.Delete(Path.GetDirectoryName(path)!, true); }
    }
}
