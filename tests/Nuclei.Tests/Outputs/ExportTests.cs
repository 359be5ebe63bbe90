using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using BitMiracle.LibTiff.Classic;
using Nuclei.Core;
using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;

namespace Nuclei.Tests.Outputs;

public sealed class ExportTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-export-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    SegmentationOutputWriter WriteShapes(OutputOptions options)
    {
        var labels = MeasurementTests.Shapes();
        var writer = new SegmentationOutputWriter(dir, options: options);
        writer.Write("shapes", new FloatImage(labels.Height, labels.Width, 1), labels);
        writer.Finish();
        return writer;
    }

    [Fact]
    public void Every_export_is_written_beside_the_label_map()
    {
        var writer = WriteShapes(new OutputOptions(Measure: true, PixelSizeUm: 0.25, Exports: ExportFormatNames.Parse("geojson, imagej-roi,TIFF")));
        foreach (string name in new[] { "shapes.labels.png", "shapes.overlay.png", "shapes.geojson", "shapes.rois.zip", "shapes.labels.tif", "measurements.csv" })
            Assert.True(File.Exists(Path.Combine(dir, name)), name);
        Assert.Equal(5, File.ReadAllLines(writer.MeasurementsPath).Length);
        Assert.Empty(Directory.EnumerateFiles(dir, "*tmp*"));
    }

    [Fact]
    public void Geojson_features_are_detections_with_closed_rings_and_measurements()
    {
        WriteShapes(new OutputOptions(Exports: ExportFormat.GeoJson));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "shapes.geojson")));
        var features = doc.RootElement.GetProperty("features");
        Assert.Equal(4, features.GetArrayLength());
        var first = features[0];
        Assert.Equal("detection", first.GetProperty("properties").GetProperty("objectType").GetString());
        Assert.Equal("Nucleus", first.GetProperty("properties").GetProperty("classification").GetProperty("name").GetString());
        Assert.Equal(40, first.GetProperty("properties").GetProperty("measurements").GetProperty("area_px").GetDouble());
        var ring = first.GetProperty("geometry").GetProperty("coordinates")[0];
        Assert.Equal("[[3,2],[11,2],[11,7],[3,7],[3,2]]", ring.GetRawText().Replace(" ", ""));
    }

    [Fact]
    public void Roi_zip_holds_one_traced_imagej_roi_per_label_named_by_label()
    {
        WriteShapes(new OutputOptions(Exports: ExportFormat.ImageJRoi));
        using var zip = ZipFile.OpenRead(Path.Combine(dir, "shapes.rois.zip"));
        Assert.Equal(new[] { "0001.roi", "0002.roi", "0003.roi", "0004.roi" }, zip.Entries.Select(e => e.Name));
        using var stream = zip.Entries[0].Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var roi = memory.ToArray();
        Assert.Equal("Iout"u8.ToArray(), roi[..4]);
        Assert.Equal(8, roi[6]); // traced
        short At(int offset) => BinaryPrimitives.ReadInt16BigEndian(roi.AsSpan(offset));
        Assert.Equal((2, 3, 7, 11, 4), (At(8), At(10), At(12), At(14), At(16))); // top, left, bottom, right, vertices
        Assert.Equal(64 + 4 * 4, roi.Length);
        Assert.Equal(new short[] { 0, 8, 8, 0, 0, 0, 5, 5 }, Enumerable.Range(0, 8).Select(i => At(64 + 2 * i)));
    }

    [Theory]
    [InlineData(1000, 16)]
    [InlineData(70000, 32)]
    public void Label_tiff_reads_back_with_its_calibration_and_widens_above_65535(int bigLabel, int bits)
    {
        var labels = new LabelImage(3, 4, new[] { 0, 1, 1, 0, 0, bigLabel, 0, 2, 0, 0, 0, 2 });
        string path = Path.Combine(dir, "l.labels.tif");
        LabelTiff.Write(path, labels, pixelSizeUm: 0.65);
        Assert.Equal(labels.Data, ImageIO.ReadLabels(path).Data);
        using var tiff = Tiff.Open(path, "r");
        Assert.Equal(bits, tiff.GetField(TiffTag.BITSPERSAMPLE)[0].ToInt());
        Assert.Equal(1 / 0.65, tiff.GetField(TiffTag.XRESOLUTION)[0].ToDouble(), 4);
        string description = tiff.GetField(TiffTag.IMAGEDESCRIPTION)[0].ToString()!;
        Assert.StartsWith("ImageJ=", description);
        Assert.Contains("unit=micron", description);
        Assert.Contains($"max={bigLabel}", description);
    }

    [Fact]
    public void Unknown_export_names_and_bad_values_are_input_errors()
    {
        var e = Assert.Throws<NucleiInputException>(() => ExportFormatNames.Parse("geojson,png"));
        Assert.Contains("'png'", e.Message);
        Assert.Contains("imagej-roi", e.Message);
        Assert.Throws<NucleiInputException>(() => new OutputOptions(PixelSizeUm: -1).Validate());
        Assert.Throws<NucleiInputException>(() => new OutputOptions(Overlay: new OverlayOptions(OutlineWidth: -2)).Validate());
    }

    [Fact]
    public void Overlay_outlines_follow_the_width_and_side_by_side_doubles_the_picture()
    {
        var labels = new LabelImage(20, 20);
        for (int y = 4; y < 16; y++) for (int x = 4; x < 16; x++) labels[y, x] = 1;
        var image = new FloatImage(20, 20, 1);
        int Outlined(int width) => Overlay.Render(image, labels, width).Chunk(3).Count(p => p[0] != p[1] || p[1] != p[2]);
        Assert.Equal(12 * 12 - 10 * 10, Outlined(1));
        Assert.Equal(12 * 12 - 6 * 6, Outlined(3));
        using var both = OverlayPicture.Compose(image, labels, new OverlayOptions(SideBySide: true, Numbers: true));
        Assert.Equal((20, 40), (both.Rows, both.Cols));
        Assert.Equal(2, new OverlayOptions().WidthFor(256, 256));
        Assert.Equal(5, new OverlayOptions().WidthFor(2000, 1000));
    }
}
