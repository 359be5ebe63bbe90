using System.Text;
using Nuclei.Core;
using Nuclei.Core.Output;
using static Nuclei.Tests.Core.SamplesAndEvaluateTests;

namespace Nuclei.Tests.Safety;

/// <summary>
/// An input whose name is legal but leaves no room for its outputs' suffixes (a name of about 250 bytes) is refused
/// before any work with a line naming it, the output name and the length to rename it to, not the runtime's
/// "path too long"; the rest of the batch is written.
/// </summary>
public sealed class OutputNameLengthTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-longnames-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly string LongId = "long-" + new string('n', 241); // the file, with ".png", is 250 bytes

    [Fact]
    public void The_writer_refuses_an_id_whose_longest_output_name_is_over_255_bytes_and_takes_one_that_fits()
    {
        var writer = new SegmentationOutputWriter(Path.Combine(dir, "out"));
        writer.RequireNamesFit(new string('n', 243), "ok.png"); // its overlay name is 255 bytes
        var e = Assert.Throws<NucleiInputException>(() => writer.RequireNamesFit(LongId, "in/" + LongId + ".png"));
        Assert.Equal($"in/{LongId}.png: its output <name>.overlay.png would have a file name of 258 bytes, over the limit of 255 " +
            "that file systems allow; rename it to at most 243 bytes before the extension", e.Message);
        // two-byte characters count twice
        Assert.Contains("would have a file name of 256 bytes", Assert.Throws<NucleiInputException>(() =>
            writer.RequireNamesFit(new string('é', 122), null)).Message);
    }

    [Fact]
    public void Segment_fails_that_image_alone_with_a_clear_line_and_writes_the_others()
    {
        string inputs = Path.Combine(dir, "in"), outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(inputs);
        string sample = Directory.EnumerateDirectories(TestData.SamplesDir).Order(StringComparer.Ordinal).First();
        string source = Path.Combine(sample, "images", Path.GetFileName(sample) + ".png");
        string longFile = Path.Combine(inputs, LongId + ".png");
        Assert.Equal(250, Encoding.UTF8.GetByteCount(Path.GetFileName(longFile)));
        File.Copy(source, longFile);
        File.Copy(source, Path.Combine(inputs, "short.png"));

        var run = RunCli("segment", inputs, "--method", "classical", "--out", outDir);

        Assert.True(run.Exit == 1, $"exit {run.Exit}\n{run.Out}\n{run.Err}");
        Assert.Contains($"{longFile}: its output <name>.overlay.png would have a file name of 258 bytes", run.Err);
        Assert.DoesNotContain("too long", run.Out + run.Err);
        Assert.True(File.Exists(Path.Combine(outDir, "short.labels.png")));
        Assert.DoesNotContain(Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories), f => Path.GetFileName(f).Contains("nnnnnnnnnn"));
    }
}
