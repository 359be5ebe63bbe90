using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Output;
using Nuclei.Core.Rle;

namespace Nuclei.Tests.Safety;

/// <summary>Run-length and CSV input that overflows, and image ids that would break or arm a CSV.</summary>
public sealed class HostileCsvTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-csv-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("9223372036854775807 2", "past the end")]          // start + length overflows a long
    [InlineData("9223372032559808523 4294967301", "past the end")] // wrapped to pixels 11..15 before
    [InlineData("1 9223372036854775807", "past the end")]
    [InlineData("99999999999999999999 1", "below 2^63")]
    [InlineData("1 2 3 9223372036854775806", "past the end")]
    public void Overflowing_runs_are_a_one_line_error_naming_file_and_line(string rle, string problem)
    {
        string csv = Path.Combine(dir, "sub.csv");
        File.WriteAllText(csv, $"ImageId,EncodedPixels\nimg,{rle}\n");
        var image = SubmissionCsv.GroupByImage(SubmissionCsv.Read(csv)).Single();
        var e = Assert.Throws<NucleiInputException>(() => image.ToLabels(5, 4, allowOverlap: false));
        Assert.StartsWith(csv + ":2: ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("50000", "50000", "larger than")]
    [InlineData("70000", "2", "larger than the 65536")]
    [InlineData("99999999999", "2", "not a positive whole number")]
    public void Solution_sizes_are_bounded_before_anything_is_allocated(string height, string width, string problem)
    {
        string csv = Path.Combine(dir, "solution.csv");
        File.WriteAllText(csv, $"ImageId,EncodedPixels,Height,Width\nimg,1 2,{height},{width}\n");
        var e = Assert.Throws<NucleiInputException>(() => SubmissionCsv.ReadSolution(csv));
        Assert.StartsWith(csv + ":2: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("a,b")]
    [InlineData("=HYPERLINK(\"evil.example\",\"y\")")]
    [InlineData("+1")]
    [InlineData("-cmd")]
    [InlineData("@SUM(A1)")]
    [InlineData("say \"hi\"")]
    [InlineData(" padded ")]
    public void Hostile_ids_are_quoted_and_disarmed_in_every_csv_and_read_back_unchanged(string id)
    {
        string outDir = Path.Combine(dir, "out"), csv = Path.Combine(dir, "sub.csv");
        var writer = new SegmentationOutputWriter(outDir, csv);
        var labels = new LabelImage(3, 4, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2]);
        writer.Write(id, new FloatImage(3, 4, 1), labels);
        writer.Finish();

        foreach (string file in new[] { Path.Combine(outDir, "summary.csv"), csv })
        {
            var lines = File.ReadAllLines(file);
            Assert.All(lines.Skip(1), line =>
            {
                var fields = CsvLine.Split(line);
                Assert.Equal(lines[0].Split(',').Length, fields.Count); // no extra column
                Assert.False("=+-@".Contains(fields[0][0]), $"formula left armed: {line}");
                Assert.Equal(id, CsvTable.ReadText(fields[0]));
            });
        }
        var read = SubmissionCsv.GroupByImage(SubmissionCsv.Read(csv)).Single();
        Assert.Equal(id.Trim(), read.Id);
        Assert.Equal(labels.Data, read.ToLabels(3, 4, allowOverlap: false).Data);
    }
}
