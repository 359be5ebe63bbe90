using System.Diagnostics;
using System.Text.RegularExpressions;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;

namespace Nuclei.Tests.Outputs;

/// <summary>
/// The exports read by tools that are not ours: Shapely (bench/python/check_geojson.py) and ImageJ itself
/// (bench/imagej/count_exports.ijm under xvfb-run). Skipped with a message when those are not installed
/// (apt-get install python3-shapely python3-pil imagej xvfb).
/// </summary>
public sealed class ExternalReaderTests : IDisposable
{
    const string ImageJJar = "/usr/share/java/ij.jar";
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-readers-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>The samples' true label maps, the shapes of the measurement tests and a map with labels above 65,535.</summary>
    Dictionary<string, int> WriteExports()
    {
        var writer = new SegmentationOutputWriter(dir, options: new OutputOptions(PixelSizeUm: 0.5,
            Exports: ExportFormat.GeoJson | ExportFormat.ImageJRoi | ExportFormat.Tiff));
        var counts = new Dictionary<string, int>();
        void Write(string id, LabelImage labels) => counts[id] = writer.Write(id, new FloatImage(labels.Height, labels.Width, 1), labels).Nuclei;
        foreach (var sample in DsbDataset.Scan(TestData.SamplesDir).Samples)
            Write(sample.Id, DsbDataset.LoadLabels(sample));
        Write("shapes", MeasurementTests.Shapes());
        var wide = MeasurementTests.Shapes();
        for (int i = 0; i < wide.Data.Length; i++) if (wide.Data[i] > 0) wide.Data[i] += 70000;
        Write("wide", wide);
        writer.Finish();
        return counts;
    }

    static Process Start(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    static string Run(string file, params string[] args)
    {
        using var process = Start(file, args);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    /// <summary>Whether a command exists and succeeds (to decide whether to skip).</summary>
    static bool Runs(string file, params string[] args)
    {
        try
        {
            using var process = Start(file, args);
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    [SkippableFact]
    public void Shapely_finds_every_geojson_polygon_valid_and_of_its_label_area()
    {
        Skip.IfNot(Runs("/usr/bin/python3", "-c", "import shapely, PIL, numpy"),
            "/usr/bin/python3 with shapely, PIL and numpy not found (apt-get install python3-shapely python3-pil); skipped");
        var counts = WriteExports();
        string output = Run("/usr/bin/python3", Path.Combine(TestData.RepoRoot, "bench", "python", "check_geojson.py"), dir);
        string total = output.Split('\n').Single(l => l.StartsWith("geojson"));
        Assert.Contains($"images={counts.Count} features={counts.Values.Sum()} invalid=0 not_detection=0 missing=0 max_area_rel_diff=0", total);
    }

    [SkippableFact]
    public void ImageJ_counts_as_many_rois_and_labels_as_nuclei_and_each_roi_covers_its_label()
    {
        Skip.IfNot(File.Exists(ImageJJar) && Runs("which", "xvfb-run"),
            $"ImageJ ({ImageJJar}) or xvfb-run not found (apt-get install imagej xvfb); skipped");
        var counts = WriteExports();
        string output = Run("xvfb-run", "-a", "java", "-jar", ImageJJar, "-batch",
            Path.Combine(TestData.RepoRoot, "bench", "imagej", "count_exports.ijm"), dir);
        var lines = Regex.Matches(output, @"^(\S+) labels=(\d+) rois=(\d+) calibration=(\S+ \S+) rois_not_matching_their_label=(\d+)", RegexOptions.Multiline);
        Assert.Equal(counts.Count, lines.Count);
        foreach (Match m in lines)
        {
            int n = counts[m.Groups[1].Value];
            Assert.Equal((n, n, "0.5 microns", 0),
                (int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value), m.Groups[4].Value, int.Parse(m.Groups[5].Value)));
        }
    }

    /// <summary>
    /// A `segment --z stitch` stack, written by its writer from stitched synthetic spheres: ImageJ opens it as one z-stack
    /// (one channel, a slice per plane, one frame), not as frames or as its first page, with every 3D label in it.
    /// </summary>
    [SkippableFact]
    public void ImageJ_opens_a_stitched_stack_as_a_z_stack_of_its_depth()
    {
        Skip.IfNot(File.Exists(ImageJJar) && Runs("which", "xvfb-run"),
            $"ImageJ ({ImageJJar}) or xvfb-run not found (apt-get install imagej xvfb); skipped");
        const int depth = 7, height = 64, width = 80;
        var drawn = new Stacks.SyntheticStack(depth, height, width)
            .Sphere(3, 18, 18, radius: 12, step: 4)
            .Sphere(2, 44, 50, radius: 10, step: 3)
            .Cylinder(4, 6, 20, 60, 8);
        var planes = Nuclei.Core.Stacks.PlaneStitching.Stitch(drawn.PlaneLabels(seed: 3), 0.25);
        string path = Path.Combine(dir, "cells" + Nuclei.Core.Export.LabelStackTiff.Extension);
        Nuclei.Core.Export.LabelStackTiff.Write(path, planes, pixelSizeUm: null);

        string output = Run("xvfb-run", "-a", "java", "-jar", ImageJJar, "-batch",
            Path.Combine(TestData.RepoRoot, "bench", "imagej", "stack_dimensions.ijm"), path);
        Assert.Contains($"width={width} height={height} channels=1 slices={depth} frames=1 bit_depth=16 max_label={drawn.Objects.Count}", output);
    }
}
