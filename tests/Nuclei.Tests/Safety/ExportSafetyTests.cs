using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;

namespace Nuclei.Tests.Safety;

/// <summary>Measurements and exports under the output writer's guarantees: resume, reruns, the input guard, CSV escaping.</summary>
public sealed class ExportSafetyTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-export-safety-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Two diagonal strokes, one each way, so one orientation is negative.</summary>
    static LabelImage Diagonals()
    {
        var labels = new LabelImage(12, 12);
        for (int i = 0; i < 8; i++)
        {
            labels[i, i] = labels[i, i + 1] = 1;
            labels[i, 10 - i] = labels[i, 11 - i] = 2;
        }
        return labels;
    }

    static void WriteOnce(string outDir, string id, OutputOptions? options)
    {
        var labels = Diagonals();
        var writer = new SegmentationOutputWriter(outDir, options: options);
        writer.Write(id, new FloatImage(labels.Height, labels.Width, 1), labels);
        writer.Finish();
    }

    [Fact]
    public void Resume_redoes_an_image_whose_record_lacks_the_measurements_or_exports_asked_for()
    {
        WriteOnce(dir, "a", options: null);
        Assert.True(new SegmentationOutputWriter(dir).IsComplete("a"));
        Assert.False(new SegmentationOutputWriter(dir, options: new OutputOptions(Measure: true)).IsComplete("a"));
        Assert.False(new SegmentationOutputWriter(dir, options: new OutputOptions(Exports: ExportFormat.ImageJRoi)).IsComplete("a"));

        WriteOnce(dir, "a", CrashSafeOutputTests.Everything);
        Assert.True(new SegmentationOutputWriter(dir, options: CrashSafeOutputTests.Everything).IsComplete("a"));
    }

    [Fact]
    public void A_rerun_without_exports_removes_the_earlier_exports_of_that_image()
    {
        WriteOnce(dir, "a", CrashSafeOutputTests.Everything);
        foreach (string suffix in CrashSafeOutputTests.ExportSuffixes) Assert.True(File.Exists(Path.Combine(dir, "a" + suffix)), suffix);

        WriteOnce(dir, "a", options: null);
        foreach (string suffix in CrashSafeOutputTests.ExportSuffixes) Assert.False(File.Exists(Path.Combine(dir, "a" + suffix)), suffix);
        Assert.True(File.Exists(Path.Combine(dir, "a.labels.png")));
        OutputFolder.AssertNoTemporaries(dir);
    }

    [Fact]
    public void Measurements_csv_and_exports_are_planned_outputs_the_input_guard_protects()
    {
        var writer = new SegmentationOutputWriter(dir, options: CrashSafeOutputTests.Everything);
        foreach (string name in new[] { "measurements.csv", "a.geojson", "a.rois.zip", "a.labels.tif" })
        {
            var e = Assert.Throws<NucleiInputException>(() =>
                writer.EnsureNothingForeignIsReplaced([Path.Combine(dir, name)], ["a"]));
            Assert.Contains("would be overwritten", e.Message);
        }
    }

    [Fact]
    public void Measurements_csv_disarms_a_hostile_id_but_keeps_negative_numbers_as_numbers()
    {
        WriteOnce(dir, "=cmd", new OutputOptions(Measure: true));
        var lines = File.ReadAllLines(Path.Combine(dir, "measurements.csv"));
        var header = lines[0].Split(',');
        int orientation = Array.IndexOf(header, "orientation_rad");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("\"'=cmd\"", r[0]));
        Assert.Contains(rows, r => r[orientation].StartsWith('-'));
        Assert.All(rows, r => Assert.DoesNotContain(r.Skip(1), f => f.StartsWith('\'')));
    }

    [Fact]
    public void Evaluate_reads_a_folder_with_the_tiff_export_beside_each_label_map_once()
    {
        WriteOnce(dir, "a", new OutputOptions(Exports: ExportFormat.Tiff));
        var entries = LabelSources.OpenPredictions(dir);
        Assert.Equal("a", Assert.Single(entries).Id);
        Assert.Equal(Diagonals().Data, entries[0].Load(null).Data);
    }
}
