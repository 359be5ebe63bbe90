using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BitMiracle.LibTiff.Classic;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Stacks;
using Nuclei.Tests.Inputs;
using Xunit.Abstractions;
using Nuclei.Cli;

namespace Nuclei.Tests.Stacks;

/// <summary>
/// `segment --z stitch`: the nuclei of a z-stack's planes, segmented one plane at a time, joined into 3D nuclei by
/// overlap (<see cref="PlaneStitching"/>) and written as one Fiji z-stack with 3D measurements.
/// </summary>
public sealed class StackStitchingTests(ITestOutputHelper output) : IDisposable
{
    const int Depth = 9, H = 96, W = 128;
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-stacks-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Two spheres, two cylinders, a cylinder that starts in plane 0, and two cylinders one above the other with a gap of two planes.</summary>
    static SyntheticStack Drawn() => new SyntheticStack(Depth, H, W)
        .Sphere(4, 25, 30, radius: 12, step: 3)
        .Cylinder(2, 6, 60, 90, 9)
        .Sphere(6, 70, 30, radius: 10, step: 3)
        .Cylinder(0, 1, 20, 105, 7)
        .Cylinder(0, 2, 25, 65, 8)
        .Cylinder(5, 8, 25, 65, 8);

    [Fact]
    public void Each_drawn_object_gets_one_label_across_its_planes_and_its_exact_volume()
    {
        var stack = Drawn();
        var stitched = PlaneStitching.Stitch(stack.PlaneLabels(seed: 1), 0.25);
        var labels = LabelsOf(stack, stitched);
        Assert.Equal(stack.Objects.Count, labels.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, stack.Objects.Count), stitched.SelectMany(p => p.Data).Where(v => v != 0).Distinct().Order());

        var nuclei = StackMeasurer.Measure(stitched).ToDictionary(n => n.Label);
        for (int o = 0; o < stack.Objects.Count; o++)
        {
            var voxels = stack.Objects[o];
            var n = nuclei[labels[o]];
            var z = voxels.Select(v => (int)(v / (H * W))).ToList();
            Assert.Equal(voxels.Count, n.Volume);
            Assert.Equal((z.Min(), z.Max(), z.Max() - z.Min() + 1), (n.FirstZ, n.LastZ, n.ZExtent));
            Assert.Equal(z.Average(), n.CentroidZ, 9);
            Assert.Equal(voxels.Average(v => v % (H * W) / W), n.CentroidY, 9);
            Assert.Equal(voxels.Average(v => v % W), n.CentroidX, 9);
        }
    }

    [Fact]
    public void Overlap_under_the_threshold_starts_a_new_nucleus_and_a_nucleus_passes_its_label_on_once()
    {
        // two discs of radius 8, 12 px apart in adjacent planes: IoU about 0.08
        var shifted = new[] { Disc(1, (48, 50, 8)), Disc(1, (48, 62, 8)) };
        Assert.Equal(2, PlaneStitching.Stitch(shifted, 0.25).SelectMany(p => p.Data).Max());
        Assert.Equal(1, PlaneStitching.Stitch(shifted, 0.05).SelectMany(p => p.Data).Max());

        // one disc above two smaller ones, each overlapping it with IoU about 0.36: one takes its label, the other is new
        var split = PlaneStitching.Stitch([Disc(1, (48, 64, 10)), Disc(1, (48, 58, 6), (48, 71, 6))], 0.25);
        int upper = split[0][48, 64];
        var lower = new[] { split[1][48, 58], split[1][48, 71] };
        Assert.Equal(1, lower.Count(l => l == upper));
        Assert.Equal([1, 2], lower.Order());
    }

    [Fact]
    public void Segment_z_stitch_writes_one_fiji_z_stack_and_its_3d_measurements()
    {
        var stack = Drawn();
        string input = TestTiffs.Write(Path.Combine(dir, "cells.tif"), H, W, stack.Intensities(seed: 2),
            $"ImageJ=1.53t\nimages={Depth}\nslices={Depth}\n");
        string outDir = Path.Combine(dir, "out");
        int exit = SegmentCommand.Run(new SegmentCommand.SegmentSettings([input], outDir, Segmenter: new() { Method = SegmentationMethod.Classical,
            Planes = PlaneChoice.Parse(null, "stitch", stitchThreshold: 0.25) }));
        Assert.Equal(0, exit);

        string tiffPath = Path.Combine(outDir, "cells.stack.labels.tif");
        var (description, bits, planes) = ReadStack(tiffPath);
        output.WriteLine(description.Replace('\n', ' '));
        Assert.Equal(Depth, planes.Count);
        Assert.Equal(16, bits);
        Assert.Contains($"slices={Depth}\n", description);
        Assert.Contains($"images={Depth}\n", description);
        var layout = MultiPlaneImage.Describe(tiffPath);   // our own reader takes it for the z-stack it is
        Assert.Equal((PlaneLayoutSource.ImageJ, 1, Depth), (layout!.Source, layout.SizeC, layout.SizeZ));

        var labels = LabelsOf(stack, planes);
        Assert.Equal(stack.Objects.Count, labels.Distinct().Count());
        Assert.Equal(stack.Objects.Count, planes.SelectMany(p => p.Data).Where(v => v != 0).Distinct().Count());
        var volumes = planes.SelectMany(p => p.Data).Where(v => v != 0).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        for (int o = 0; o < stack.Objects.Count; o++)
        {
            output.WriteLine($"object {o + 1}: drawn {stack.Objects[o].Count} voxels, label {labels[o]} has {volumes[labels[o]]}");
            Assert.InRange(volumes[labels[o]], 0.85 * stack.Objects[o].Count, 1.15 * stack.Objects[o].Count);
        }

        var rows = File.ReadAllLines(Path.Combine(outDir, "cells.stack.csv"));
        output.WriteLine(string.Join('\n', rows));
        Assert.Equal(string.Join(',', StackMeasurementsCsv.Header), rows[0]);
        Assert.Equal(stack.Objects.Count, rows.Length - 1);
        foreach (var row in rows.Skip(1).Select(r => r.Split(',')))
            Assert.Equal(volumes[int.Parse(row[1], CultureInfo.InvariantCulture)], int.Parse(row[2], CultureInfo.InvariantCulture));
        // the planes keep their own outputs, as with --z each, and they alone are the 2D maps `evaluate --pred` reads
        Assert.Equal(Enumerable.Range(1, Depth).Select(k => $"cells_z{k}"),
            Nuclei.Core.Data.LabelSources.OpenPredictions(outDir).Select(e => e.Id).Order(StringComparer.Ordinal));
        CheckWithScikitImage(tiffPath, rows);
    }

    [Theory]
    [InlineData("each", 0.3, "--stitch-threshold needs --z stitch")]
    [InlineData("stitch", 0.0, "--stitch-threshold is an IoU in (0, 1], got 0")]
    [InlineData("stitch", 1.5, "--stitch-threshold is an IoU in (0, 1], got 1.5")]
    public void Bad_stitch_thresholds_are_usage_errors(string z, double threshold, string message) =>
        Assert.Equal(message, Assert.Throws<NucleiInputException>(() => PlaneChoice.Parse(null, z, stitchThreshold: threshold)).MessageFor(SettingFlags.Names));

    [Fact]
    public void Stitch_is_refused_where_only_projections_are_read() =>
        Assert.Equal("--z must be max or mean, got 'stitch'",
            Assert.Throws<NucleiInputException>(() => PlaneChoice.Parse(null, "stitch", allowEach: false)).MessageFor(SettingFlags.Names));

    /// <summary>
    /// tifffile must read the stack as an ImageJ z-stack, and scikit-image's 3D regionprops must measure its labels as
    /// the CSV does. Skipped without /usr/bin/python3, tifffile and scikit-image.
    /// </summary>
    void CheckWithScikitImage(string tiffPath, string[] rows)
    {
        string script = Path.Combine(TestData.RepoRoot, "bench", "python", "stack_skimage.py");
        var (code, stdout, stderr) = Python(script, tiffPath);
        if (code != 0 && stderr.Contains("ModuleNotFoundError"))
        {
            output.WriteLine($"scikit-image oracle skipped: {stderr.Trim().Split('\n')[^1]}");
            return;
        }
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("imagej").GetBoolean());
        Assert.Equal(Depth, root.GetProperty("slices").GetInt32());
        Assert.Equal(Depth, root.GetProperty("pages").GetInt32());
        Assert.Equal("uint16", root.GetProperty("dtype").GetString());
        var theirs = root.GetProperty("labels").EnumerateArray().ToList();
        Assert.Equal(rows.Length - 1, theirs.Count);
        foreach (var (row, r) in rows.Skip(1).Select(r => r.Split(',')).Zip(theirs))
        {
            double Field(int k) => double.Parse(row[k], CultureInfo.InvariantCulture);
            var centroid = r.GetProperty("centroid").EnumerateArray().Select(c => c.GetDouble()).ToList();
            Assert.Equal(r.GetProperty("label").GetInt32(), (int)Field(1));
            Assert.Equal(r.GetProperty("volume").GetInt32(), (int)Field(2));
            Assert.Equal((r.GetProperty("z_first").GetInt32(), r.GetProperty("z_last").GetInt32()), ((int)Field(3), (int)Field(4)));
            for (int axis = 0; axis < 3; axis++) Assert.Equal(centroid[axis], Field(6 + axis), 5);
        }
        output.WriteLine($"scikit-image agrees on {theirs.Count} nuclei");
    }

    static (int Code, string Stdout, string Stderr) Python(params string[] args)
    {
        if (!File.Exists("/usr/bin/python3")) return (1, "", "ModuleNotFoundError: no /usr/bin/python3");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>The label most of each drawn object's voxels have (0 would fail the callers' distinctness checks).</summary>
    static int[] LabelsOf(SyntheticStack stack, IReadOnlyList<LabelImage> planes) =>
        stack.Objects.Select(voxels => voxels.Select(v => planes[(int)(v / (H * W))].Data[v % (H * W)])
            .GroupBy(l => l).OrderByDescending(g => g.Count()).First().Key).ToArray();

    /// <summary>A 96x128 label map with disc k+1 at each (y, x, radius); <paramref name="first"/> is the first disc's label.</summary>
    static LabelImage Disc(int first, params (int Y, int X, double R)[] discs)
    {
        var plane = new LabelImage(H, W);
        for (int k = 0; k < discs.Length; k++)
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++)
                    if ((y - discs[k].Y) * (y - discs[k].Y) + (x - discs[k].X) * (x - discs[k].X) <= discs[k].R * discs[k].R) plane[y, x] = first + k;
        return plane;
    }

    /// <summary>Every page of a label TIFF through LibTiff.NET, with the first page's description and bits per sample.</summary>
    static (string Description, int Bits, IReadOnlyList<LabelImage> Planes) ReadStack(string path)
    {
        using var tiff = Tiff.Open(path, "r")!;
        string description = tiff.GetField(TiffTag.IMAGEDESCRIPTION)[0].ToString()!;
        int bits = tiff.GetField(TiffTag.BITSPERSAMPLE)[0].ToInt();
        var planes = new List<LabelImage>();
        do
        {
            int width = tiff.GetField(TiffTag.IMAGEWIDTH)[0].ToInt(), height = tiff.GetField(TiffTag.IMAGELENGTH)[0].ToInt();
            var plane = new LabelImage(height, width);
            var row = new byte[tiff.ScanlineSize()];
            for (int y = 0; y < height; y++)
            {
                tiff.ReadScanline(row, y);
                for (int x = 0; x < width; x++) plane[y, x] = BitConverter.ToUInt16(row, 2 * x);
            }
            planes.Add(plane);
        } while (tiff.ReadDirectory());
        return (description, bits, planes);
    }
}
