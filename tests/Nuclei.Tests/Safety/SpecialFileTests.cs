using System.Diagnostics;
using Nuclei.Cli.Commands;
using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Describing;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Metrics;
using Nuclei.Core.Output;
using Nuclei.Core.Rle;

namespace Nuclei.Tests.Safety;

/// <summary>
/// A path that is read must be a file we can read: a FIFO (whose open would wait for a writer for ever), a device or
/// socket, a dangling link, a file we may not read or a folder where a file is expected is refused by name, before any open.
/// </summary>
public sealed class SpecialFileTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-special-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static SegmentCommand.SegmentSettings Classical(string[] inputs, string outDir, string? csv = null, PlaneChoice? planes = null) =>
        new(inputs, outDir, Segmenter: new() { Method = SegmentationMethod.Classical, Planes = planes }, Csv: csv);

    string Fifo(string name)
    {
        string path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Skip.IfNot(MakeFifo(path), "mkfifo is not available here");
        return path;
    }

    static bool MakeFifo(string path)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("mkfifo", path) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    /// <summary>Runs <paramref name="read"/>; a read that opened the FIFO would wait for ever, so it gets a (generous) minute.</summary>
    static T WithoutBlocking<T>(string fifo, Func<T> read)
    {
        var task = Task.Run(read);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
        {
            using (File.OpenWrite(fifo)) { } // release the blocked reader before failing
            Assert.Fail($"reading {fifo} blocked");
        }
        return task.GetAwaiter().GetResult();
    }

    static string ProblemOf(Func<object?> read) => Assert.Throws<NucleiInputException>(read).Message;

    [SkippableFact]
    public void A_fifo_among_the_images_fails_alone_without_blocking_also_with_z_each()
    {
        string images = Path.Combine(dir, "images");
        SyntheticImages.Write(images, 2);
        string fifo = Fifo("images/pipe.png");

        var pipe = InputCollector.Collect([images]).Single(i => i.Id == "pipe");
        Assert.Equal("image is a FIFO (named pipe), not a regular file", pipe.Problem);
        foreach (var planes in new[] { PlaneChoice.Default, new PlaneChoice(Z: ZProjection.Each) })
        {
            string outDir = Path.Combine(dir, "out-" + planes.Z);
            Assert.Equal(1, WithoutBlocking(fifo, () => SegmentCommand.Run(Classical([images], outDir, planes: planes))));
            Assert.Equal(["img00", "img01"], OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));
        }
        Assert.Equal(1, WithoutBlocking(fifo, () => SegmentCommand.Run(Classical([fifo], Path.Combine(dir, "alone")))));
    }

    [SkippableFact]
    public void A_fifo_as_config_list_truth_predictions_or_label_map_is_refused_without_blocking()
    {
        string fifo = Fifo("pipe");
        string images = Path.Combine(dir, "images"), truth = Path.Combine(dir, "truth"), pred = Path.Combine(dir, "pred");
        SyntheticImages.Write(images, 2);
        Assert.Equal(0, SegmentCommand.Run(Classical([images], truth)));
        Directory.CreateDirectory(pred);
        File.Copy(Path.Combine(truth, "img00.labels.png"), Path.Combine(pred, "img00.labels.png"));
        string fifoMap = Fifo("pred/img01.labels.png");

        Assert.Contains("configuration file is a FIFO", ProblemOf(() => WithoutBlocking(fifo, () => ConfigurationLoader.Load(fifo, []))));
        Assert.Contains("input list is a FIFO", ProblemOf(() => WithoutBlocking(fifo, () => InputListFile.Read(fifo))));
        Assert.Contains("CSV file is a FIFO", ProblemOf(() => WithoutBlocking(fifo, () => Evaluation.Run(fifo, pred, parallelism: 1))));
        Assert.Contains("CSV file is a FIFO", ProblemOf(() => WithoutBlocking(fifo, () => Evaluation.Run(truth, fifo, parallelism: 1))));
        Assert.Contains("label map is a FIFO", ProblemOf(() => WithoutBlocking(fifoMap, () => Evaluation.Run(truth, pred, parallelism: 1))));
        Assert.Contains("is a FIFO", ProblemOf(() => WithoutBlocking(fifo, () => SegmentCommand.Run(Classical([images], Path.Combine(dir, "o")) with { Truth = fifo }))));
        Assert.Contains("is a FIFO", ProblemOf(() => WithoutBlocking(fifo, () => SegmentCommand.Run(Classical([], Path.Combine(dir, "o")) with { List = fifo }))));
    }

    [SkippableFact]
    public void The_image_gate_itself_refuses_a_fifo_a_device_and_a_dangling_link_without_blocking()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "file types are read with statx(2), on Linux");
        string fifo = Fifo("images/pipe.png");
        string zero = Path.Combine(dir, "zero.png"), gone = Path.Combine(dir, "gone.png");
        File.CreateSymbolicLink(zero, "/dev/zero");
        File.CreateSymbolicLink(gone, Path.Combine(dir, "nowhere.png"));
        foreach (var (path, problem) in new[] { (fifo, "image is a FIFO (named pipe), not a regular file"), (zero, "image is a character device, not a regular file"), (gone, "image is a dangling link") })
        {
            Assert.Contains(problem, ProblemOf(() => WithoutBlocking(fifo, () => ImageGate.Open(path))));
            Assert.Contains(problem, ProblemOf(() => WithoutBlocking(fifo, () => ImageIO.ReadImage(path))));
            Assert.Contains(problem, ProblemOf(() => WithoutBlocking(fifo, () => ImageIO.ReadLabels(path))));
        }
        // nuclei data describe reads an image without annotation straight away, without the scan's verdict on its path
        var sample = DsbDataset.Scan(Path.Combine(dir, "images")).Samples.Single();
        Assert.Contains("image is a FIFO", ProblemOf(() => WithoutBlocking(fifo, () => ImageFacts.Of(sample))));
        Assert.Equal("image file not found", Assert.Throws<NucleiInputException>(() => ImageGate.Open(Path.Combine(dir, "none.png"))).Problem);
    }

    [Fact]
    public void A_dangling_link_and_a_folder_are_named_as_such()
    {
        string images = Path.Combine(dir, "images");
        SyntheticImages.Write(images, 1);
        string link = Path.Combine(images, "gone.png");
        File.CreateSymbolicLink(link, Path.Combine(dir, "nowhere.png"));

        Assert.StartsWith("image is a dangling link (to ", InputCollector.Collect([images]).Single(i => i.Id == "gone").Problem);
        Assert.Contains("configuration file is a folder, not a file", ProblemOf(() => ConfigurationLoader.Load(images, [])));
        Assert.Contains("configuration file is a dangling link", ProblemOf(() => ConfigurationLoader.Load(link, [])));
        Assert.Contains("configuration file not found", ProblemOf(() => ConfigurationLoader.Load(Path.Combine(dir, "none.ini"), [])));
        Assert.Contains("input list is a folder", ProblemOf(() => InputListFile.Read(images)));
        Assert.Contains("CSV file is a dangling link", ProblemOf(() => Evaluation.Run(link, images, parallelism: 1)));
    }

    [SkippableFact]
    public void A_file_we_may_not_read_says_permission_denied()
    {
        Skip.If(OperatingSystem.IsWindows() || Environment.UserName == "root", "needs a Unix user whom file modes bind");
        string images = Path.Combine(dir, "images");
        string image = SyntheticImages.Write(images, 1)[0];
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(image, UnixFileMode.None); // (skipped there above)
        Assert.Equal("image cannot be read: permission denied", InputCollector.Collect([images]).Single().Problem);
    }

    [Fact]
    public void An_image_name_with_a_control_character_is_refused_and_every_CSV_written_reads_back()
    {
        string images = Path.Combine(dir, "images");
        var paths = SyntheticImages.Write(images, 2);
        File.Move(paths[1], Path.Combine(images, "img\n01.png"));
        string outDir = Path.Combine(dir, "out"), csv = Path.Combine(dir, "submission.csv");

        Assert.Contains("control character U+000A; rename the file", InputCollector.Collect([images]).Single(i => i.Id != "img00").Problem);
        Assert.Equal(1, SegmentCommand.Run(Classical([images], outDir, csv: csv)));
        Assert.Equal(["img00"], SubmissionCsv.Read(csv).Select(r => r.ImageId).Distinct());
        Assert.Equal(["img00"], OutputFolder.Ids(Path.Combine(outDir, "summary.csv")));

        var writer = new SegmentationOutputWriter(Path.Combine(dir, "lib"));
        var e = Assert.Throws<NucleiInputException>(() => writer.Write("a\rb", new Nuclei.Core.Imaging.FloatImage(4, 4, 1), new Nuclei.Core.Imaging.LabelImage(4, 4)));
        Assert.Contains("cannot name an output file: it holds the control character U+000D", e.Message);
        Assert.DoesNotContain("\r", e.Message);
    }
}
