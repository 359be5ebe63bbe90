using System.Text.Json;
using CsvHelper;
using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Big;

/// <summary>What block-wise segmentation writes besides the label TIFF, one nucleus at a time.</summary>
/// <param name="Measure">&lt;id&gt;.measurements.csv: the columns of measurements.csv</param>
/// <param name="GeoJson">&lt;id&gt;.geojson: QuPath detections with their measurements</param>
/// <param name="RunLength">&lt;id&gt;.rle.csv: the DSB2018 run-length rows (ImageId,EncodedPixels)</param>
internal sealed record StreamedOutputs(bool Measure = false, bool GeoJson = false, bool RunLength = false, double? PixelSizeUm = null)
{
    public const string MeasurementsSuffix = ".measurements.csv";
    public const string RunLengthSuffix = ".rle.csv";
}

/// <summary>
/// Writes the per-nucleus outputs of one big image as its nuclei are stitched (see <see cref="StreamedOutputs"/>),
/// into temporaries registered with the caller's <see cref="StagedFiles"/>, so they appear with the label image or not at all.
/// Measurements are taken on the block window the nucleus was found in (it lies whole in it) and moved to image coordinates.
/// </summary>
internal sealed class NucleusStreams : IDisposable
{
    readonly StreamedOutputs what;
    readonly string id;
    readonly int imageHeight, imageWidth, channels;
    readonly List<FileStream> files = new();
    readonly CsvWriter? measurements, runLengths;
    readonly StreamWriter? measurementsText, runLengthsText;
    readonly Utf8JsonWriter? geoJson;
    bool finished;

    public NucleusStreams(StagedFiles staged, string outDir, string id, StreamedOutputs what, int imageHeight, int imageWidth, int channels)
    {
        this.what = what; this.id = id; this.imageHeight = imageHeight; this.imageWidth = imageWidth; this.channels = channels;
        if (what.Measure)
        {
            measurementsText = new StreamWriter(Create(staged, Path.Combine(outDir, id + StreamedOutputs.MeasurementsSuffix)));
            measurements = CsvTable.Open(measurementsText, new[] { "image", "label" }.Concat(MeasurementColumns.Names(what.PixelSizeUm, channels)).ToList());
        }
        if (what.RunLength)
        {
            runLengthsText = new StreamWriter(Create(staged, Path.Combine(outDir, id + StreamedOutputs.RunLengthSuffix)));
            runLengths = CsvTable.Open(runLengthsText, Rle.SubmissionCsv.Header.Split(','));
        }
        if (what.GeoJson)
        {
            geoJson = new Utf8JsonWriter(Create(staged, Path.Combine(outDir, id + QuPathGeoJson.Extension)));
            geoJson.WriteStartObject();
            geoJson.WriteString("type", "FeatureCollection");
            geoJson.WriteStartArray("features");
        }
    }

    FileStream Create(StagedFiles staged, string path)
    {
        var file = new FileStream(staged.Reserve(path), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        files.Add(file);
        return file;
    }

    /// <param name="pixels">the nucleus' pixels, row-major indices into <paramref name="window"/>, ascending</param>
    /// <param name="windowImage">the window's pixels, for the intensity measurements</param>
    public void Add(int label, int[] pixels, PixelRect window, FloatImage windowImage)
    {
        var region = RegionOf(label, pixels, window.Width);
        if (what.Measure || what.GeoJson)
        {
            var m = Measured(RegionMeasurer.Measure(region, window.Height, window.Width, windowImage), region, window);
            if (measurements is not null)
                CsvTable.WriteRow(measurements, new object?[] { id, label }
                    .Concat(MeasurementColumns.Values(m, what.PixelSizeUm, channels).Select(c => (object?)c.Value)).ToList());
            if (geoJson is not null)
            {
                byte[] mask = region.Mask(window.Width, 0, out int mh, out int mw);
                var outline = new NucleusOutline(label, PixelOutlines.Trace(mask, mh, mw, window.X + region.MinX, window.Y + region.MinY));
                QuPathGeoJson.WriteFeature(geoJson, outline, m, what.PixelSizeUm);
                if (geoJson.BytesPending > 1 << 16) geoJson.Flush();
            }
        }
        if (runLengths is not null) CsvTable.WriteRow(runLengths, new object?[] { id, RunLengthOf(pixels, window) });
    }

    /// <summary>Closes every file, flushed to disk (the caller then commits them).</summary>
    public void Finish(bool anyNuclei)
    {
        if (runLengths is not null && !anyNuclei) CsvTable.WriteRow(runLengths, new object?[] { id, "" }); // as SubmissionCsv: one empty row
        if (geoJson is not null)
        {
            geoJson.WriteEndArray();
            geoJson.WriteEndObject();
            geoJson.Flush();
        }
        measurements?.Flush();
        runLengths?.Flush();
        measurementsText?.Flush();
        runLengthsText?.Flush();
        foreach (var f in files) { f.Flush(flushToDisk: true); f.Dispose(); }
        finished = true;
    }

    static LabelRegion RegionOf(int label, int[] pixels, int width)
    {
        int minY = int.MaxValue, minX = int.MaxValue, maxY = -1, maxX = -1;
        foreach (int p in pixels)
        {
            int y = p / width, x = p % width;
            minY = Math.Min(minY, y); maxY = Math.Max(maxY, y); minX = Math.Min(minX, x); maxX = Math.Max(maxX, x);
        }
        return new LabelRegion(label, pixels, minY, minX, maxY, maxX);
    }

    /// <summary>A measurement made in the window, in image coordinates (border flag against the image's edges).</summary>
    NucleusMeasurement Measured(NucleusMeasurement m, LabelRegion r, PixelRect window) => m with
    {
        CentroidX = m.CentroidX + window.X, CentroidY = m.CentroidY + window.Y,
        BoxX = m.BoxX + window.X, BoxY = m.BoxY + window.Y,
        TouchesBorder = window.Y + r.MinY == 0 || window.X + r.MinX == 0 || window.Y + r.MaxY == imageHeight - 1 || window.X + r.MaxX == imageWidth - 1,
    };

    /// <summary>The Kaggle run-length string of the pixels (see <see cref="Rle.RunLength"/>: 1-based, column-major), in 64-bit as a slide may pass 2^31 pixels.</summary>
    string RunLengthOf(int[] pixels, PixelRect window)
    {
        var order = new long[pixels.Length];
        for (int k = 0; k < pixels.Length; k++)
            order[k] = (long)(window.X + pixels[k] % window.Width) * imageHeight + window.Y + pixels[k] / window.Width;
        Array.Sort(order);
        var text = new System.Text.StringBuilder();
        for (int k = 0; k < order.Length;)
        {
            int run = 1;
            while (k + run < order.Length && order[k + run] == order[k] + run) run++;
            if (text.Length > 0) text.Append(' ');
            text.Append(order[k] + 1).Append(' ').Append(run);
            k += run;
        }
        return text.ToString();
    }

    /// <summary>Closes the files of an image that failed part-way (their temporaries are then deleted by the caller's <see cref="StagedFiles"/>).</summary>
    public void Dispose()
    {
        if (finished) return;
        foreach (var f in files)
        {
            try { f.Dispose(); }
            catch (IOException) { } // the write that failed (a full disk) fails again on closing; the first error is the one reported
        }
    }
}
