using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Output;

namespace Nuclei.Tests.Safety;

/// <summary>Fault injection into the output writer: a disk that fills at every possible byte, lost bytes, reruns, concurrent runs, stale temporaries.</summary>
public sealed class CrashSafeOutputTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-safety-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly string[] Ids = ["a", "b", "c"];

    /// <summary>Every optional output: measurements, all exports, side-by-side overlays with numbers.</summary>
    internal static readonly OutputOptions Everything = new(Measure: true, PixelSizeUm: 0.5,
        Exports: ExportFormat.GeoJson | ExportFormat.ImageJRoi | ExportFormat.Tiff, Overlay: new OverlayOptions(Numbers: true, SideBySide: true));

    static OutputOptions? Options(bool everything) => everything ? Everything : null;

    /// <summary>The per-image files a writer with <see cref="Everything"/> writes besides the label map and overlay.</summary>
    public static readonly string[] ExportSuffixes = [".geojson", ".rois.zip", ".labels.tif"];

    static (FloatImage Image, LabelImage Labels) Sample(int seed)
    {
        var rng = new Random(seed);
        var labels = new LabelImage(24, 30);
        for (int k = 1; k <= 4; k++)
        {
            int y0 = rng.Next(20), x0 = rng.Next(26);
            for (int y = y0; y < y0 + 4; y++)
                for (int x = x0; x < x0 + 4; x++) labels[y, x] = k;
        }
        var image = new FloatImage(24, 30, 1);
        for (int i = 0; i < image.Data.Length; i++) image.Data[i] = (float)rng.NextDouble();
        return (image, labels);
    }

    /// <summary>Writes a, b, c through <paramref name="disk"/>; returns the ids that were written (the others threw).</summary>
    static List<string> WriteAll(string outDir, string csv, FullDisk disk, OutputOptions? options = null)
    {
        var writer = new SegmentationOutputWriter(outDir, csv, disk.Create, options);
        var ok = new List<string>();
        foreach (var (id, k) in Ids.Select((id, k) => (id, k)))
        {
            var (image, labels) = Sample(k);
            try { writer.Write(id, image, labels); ok.Add(id); }
            catch (IOException e) { Assert.Contains(disk.Lying ? "reached the disk" : "No space left", e.Message); }
        }
        try { writer.Finish(); }
        catch (IOException) { } // the summary did not fit either: the next run rebuilds it
        return ok;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // measurements, exports and side-by-side overlays go through the same commit
    public void A_disk_that_fills_at_any_byte_never_leaves_a_broken_output_and_the_summary_lists_exactly_the_written_images(bool everything)
    {
        var options = Options(everything);
        long total = FullDisk.Unlimited() is var probe && WriteAll(Path.Combine(dir, "probe"), Path.Combine(dir, "probe.csv"), probe, options).Count == 3
            ? probe.Written : throw new InvalidOperationException("unlimited run failed");
        int runs = 0;
        foreach (bool lying in new[] { false, true })
            for (long budget = 0; budget <= total; budget += Math.Max(1, total / 97))
            {
                string outDir = Path.Combine(dir, $"full-{lying}-{budget}"), csv = Path.Combine(outDir, "sub.csv");
                var written = WriteAll(outDir, csv, new FullDisk(budget, lying), options);
                runs++;

                OutputFolder.AssertNoTemporaries(outDir);
                OutputFolder.AssertEveryImageDecodes(outDir);
                foreach (string id in Ids)
                {
                    bool done = written.Contains(id);
                    Assert.Equal(done, File.Exists(Path.Combine(outDir, id + ".labels.png")));
                    Assert.Equal(done, File.Exists(Path.Combine(outDir, id + ".overlay.png")));
                    foreach (string suffix in ExportSuffixes)
                        Assert.Equal(done && everything, File.Exists(Path.Combine(outDir, id + suffix)));
                }
                // A later run with space rebuilds the CSVs from the records: exactly the images written.
                new SegmentationOutputWriter(outDir, csv, options: options).Finish();
                Assert.Equal(written, OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));
                Assert.Equal(written, OutputFolder.Ids(csv).Distinct());
                if (everything) Assert.Equal(written, OutputFolder.Ids(Path.Combine(outDir, "measurements.csv")).Distinct());
            }
        Assert.True(runs >= 150, $"{runs} budgets tried");
    }

    [Fact]
    public void A_failed_rewrite_keeps_the_earlier_outputs_of_that_image()
    {
        string outDir = Path.Combine(dir, "out");
        var (image, labels) = Sample(1);
        new SegmentationOutputWriter(outDir).Write("a", image, labels);
        string before = OutputFolder.Sha256(Path.Combine(outDir, "a.labels.png"));

        var (_, other) = Sample(2);
        var full = new SegmentationOutputWriter(outDir, null, new FullDisk(300).Create);
        Assert.Throws<IOException>(() => full.Write("a", image, other));

        Assert.Equal(before, OutputFolder.Sha256(Path.Combine(outDir, "a.labels.png")));
        Assert.True(new SegmentationOutputWriter(outDir).IsComplete("a"));
        OutputFolder.AssertNoTemporaries(outDir);
    }

    [Fact]
    public void Reruns_into_the_same_folder_keep_the_other_images_rows_once_each()
    {
        string outDir = Path.Combine(dir, "out"), csv = Path.Combine(dir, "sub.csv");
        var first = new SegmentationOutputWriter(outDir, csv, options: Everything);
        first.Write("a", Sample(0).Image, Sample(0).Labels);
        first.Write("b", Sample(1).Image, Sample(1).Labels);
        first.Finish();
        var second = new SegmentationOutputWriter(outDir, csv, options: Everything);
        second.Write("b", Sample(2).Image, Sample(2).Labels); // b again, with other labels
        second.Write("c", Sample(3).Image, Sample(3).Labels);
        second.Finish();

        Assert.Equal(["a", "b", "c"], OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));
        Assert.Equal(["a", "b", "c"], OutputFolder.Ids(csv).Distinct());
        Assert.Equal(Sample(2).Labels.Data, ImageIO.ReadLabels(Path.Combine(outDir, "b.labels.png")).Data);
        Assert.Equal(Sample(2).Labels.Data, ImageIO.ReadLabels(Path.Combine(outDir, "b.labels.tif")).Data);
        // measurements.csv: 4 nuclei (at most) per image, each image's rows once, b's from the second run
        var measured = OutputFolder.Ids(Path.Combine(outDir, "measurements.csv"));
        Assert.Equal(["a", "b", "c"], measured.Distinct());
        Assert.Equal(Sample(2).Labels.Data.Where(v => v > 0).Distinct().Count(), measured.Count(id => id == "b"));
    }

    [Fact]
    public void Two_runs_writing_into_one_folder_at_once_lose_none_of_each_others_rows()
    {
        for (int round = 0; round < 5; round++)
        {
            string outDir = Path.Combine(dir, $"out{round}"), csv = Path.Combine(dir, $"sub{round}.csv");
            var ids = new[] { "x", "y" }.Select(run => Enumerable.Range(0, 15).Select(i => $"{run}{i:D2}").ToList()).ToList();
            Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 2 }, runIds =>
            {
                var writer = new SegmentationOutputWriter(outDir, csv, options: new OutputOptions(Measure: true));
                foreach (var (id, k) in runIds.Select((id, k) => (id, k)))
                {
                    writer.Write(id, Sample(k).Image, Sample(k).Labels);
                    if (k % 5 == 4) writer.Finish(); // rebuilds interleave with the other run's writes
                }
                writer.Finish();
            });
            var expected = ids.SelectMany(i => i).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));
            Assert.Equal(expected, OutputFolder.Ids(csv).Distinct());
            Assert.Equal(expected, OutputFolder.Ids(Path.Combine(outDir, "measurements.csv")).Distinct());
        }
    }

    [Fact]
    public void Stale_temporaries_are_invisible_to_every_reader_and_removed_by_the_next_run()
    {
        string folder = Path.Combine(dir, "images");
        Directory.CreateDirectory(folder);
        var (image, labels) = Sample(0);
        ImageIO.WriteImage8(Path.Combine(folder, "a.png"), image);
        ImageIO.WriteLabels(Path.Combine(folder, "a.labels.png"), labels);
        string dead = "999999999"; // no such process
        string[] stale =
        [
            $".a.png.{dead}.{Guid.NewGuid():N}.nuclei-tmp",
            $".a.{dead}.{Guid.NewGuid():N}.tmp.png", // what older versions left: an image extension
            $".a.labels.{dead}.{Guid.NewGuid():N}.tmp.png",
        ];
        foreach (string name in stale) File.WriteAllBytes(Path.Combine(folder, name), [0x89, (byte)'P', (byte)'N']);
        string live = Path.Combine(folder, $".b.png.{Environment.ProcessId}.{Guid.NewGuid():N}.nuclei-tmp");
        File.WriteAllBytes(live, [1]);

        Assert.Equal(["a"], InputCollector.Collect([folder]).Select(i => i.Id));
        Assert.Equal(["a"], LabelSources.OpenPredictions(folder).Select(e => e.Id));
        Assert.Equal(["a"], Nuclei.Core.PostProcessing.MapSet.Match(folder, null, null, null, out _).Select(s => s.Id));

        new SegmentationOutputWriter(folder);
        foreach (string name in stale) Assert.False(File.Exists(Path.Combine(folder, name)), name);
        Assert.True(File.Exists(live), "a running process's temporary is left alone");
    }

    [Fact]
    public void An_output_folder_that_cannot_be_written_fails_before_any_image()
    {
        string file = Path.Combine(dir, "a-file");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<NucleiInputException>(() => new SegmentationOutputWriter(Path.Combine(file, "out")));
        Assert.Contains("cannot write into this folder", e.Message);
        Assert.Contains("a-file", e.Message);
    }
}
