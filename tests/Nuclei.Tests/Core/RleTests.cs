using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.Rle;

namespace Nuclei.Tests.Core;

public sealed class RleTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-rle-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    // 3 rows x 4 columns. Column-major numbering (1-based):
    //  1 4 7 10
    //  2 5 8 11
    //  3 6 9 12
    static LabelImage Sample() => new(3, 4, new[]
    {
        1, 0, 2, 2,
        1, 0, 0, 2,
        0, 1, 0, 2,
    });

    [Fact]
    public void EncodesColumnMajorOneBased()
    {
        var rle = RunLength.EncodeAll(Sample());
        Assert.Equal("1 2 6 1", rle[1]);
        Assert.Equal("7 1 10 3", rle[2]);
        Assert.Equal("", RunLength.Encode(Sample(), 5));
    }

    [Fact]
    public void RunsContinueAcrossColumns()
    {
        var l = new LabelImage(2, 2, new[] { 0, 1, 1, 1 }); // pixels 2,3,4 in column-major order
        Assert.Equal("2 3", RunLength.EncodeAll(l)[1]);
    }

    [Fact]
    public void DecodeInvertsEncode()
    {
        var rows = SubmissionCsv.EncodedPixels(Sample()).Select(rle => new RleRow("img", rle, "t")).ToList();
        var back = new RleImage("img", rows).ToLabels(3, 4, allowOverlap: false);
        Assert.Equal(Sample().Data, back.Data);
    }

    [Theory]
    [InlineData("1 2 3", "odd count")]
    [InlineData("10 5", "past the end")]
    [InlineData("1 3 2 2", "overlaps")]
    [InlineData("5 1 1 1", "overlaps or precedes")]
    [InlineData("0 2", "must be positive")]
    [InlineData("3 0", "must be positive")]
    [InlineData("-1 2", "not a positive whole number")]
    [InlineData("1 x", "not a positive whole number")]
    public void MalformedRleIsAnErrorNamingTheLine(string rle, string problem)
    {
        var e = Assert.Throws<NucleiInputException>(() => RunLength.Parse(rle, 12, "sub.csv:7"));
        Assert.StartsWith("sub.csv:7", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void OverlappingObjectsAreAnErrorUnlessAllowed()
    {
        var rows = new[] { new RleRow("a", "1 3", "p.csv:2"), new RleRow("a", "3 2", "p.csv:3") };
        var e = Assert.Throws<NucleiInputException>(() => new RleImage("a", rows).ToLabels(3, 4, allowOverlap: false));
        Assert.StartsWith("p.csv:3", e.Message);
        var labels = new RleImage("a", rows).ToLabels(3, 4, allowOverlap: true);
        Assert.Equal(2, labels[2, 0]);
    }

    [Fact]
    public void SubmissionCsvRoundTripsWithEmptyImages()
    {
        string path = Path.Combine(dir, "sub.csv");
        SubmissionCsv.Write(path, new[] { ("a", Sample()), ("empty", new LabelImage(3, 4)) });
        var text = File.ReadAllText(path);
        Assert.Equal("ImageId,EncodedPixels\na,1 2 6 1\na,7 1 10 3\nempty,\n", text);
        var images = SubmissionCsv.GroupByImage(SubmissionCsv.Read(path));
        Assert.Equal(new[] { "a", "empty" }, images.Select(i => i.Id));
        Assert.Equal(Sample().Data, images[0].ToLabels(3, 4, false).Data);
        Assert.Equal(0, images[1].ToLabels(3, 4, false).MaxLabel());
    }

    [Fact]
    public void SolutionCsvCarriesSizesAndIgnoresExtraColumns()
    {
        string path = Path.Combine(dir, "sol.csv");
        File.WriteAllText(path, "ImageId,EncodedPixels,Height,Width,Usage\na,1 2 6 1,3,4,Public\na,7 1 10 3,3,4,Public\n");
        var img = Assert.Single(SubmissionCsv.GroupByImage(SubmissionCsv.ReadSolution(path)));
        Assert.Equal((3, 4), img.Size);
        Assert.Equal(Sample().Data, img.ToLabels(allowOverlap: true).Data);
    }

    [Fact]
    public void MissingColumnsAndBadRowsAreClearErrors()
    {
        string noRle = Path.Combine(dir, "norle.csv");
        File.WriteAllText(noRle, "ImageId,Pixels\na,1 2\n");
        var e1 = Assert.Throws<NucleiInputException>(() => SubmissionCsv.Read(noRle));
        Assert.Contains("norle.csv", e1.Message);
        Assert.Contains("missing column EncodedPixels", e1.Message);

        string noSize = Path.Combine(dir, "nosize.csv");
        File.WriteAllText(noSize, "ImageId,EncodedPixels\na,1 2\n");
        Assert.Contains("missing columns Height, Width", Assert.Throws<NucleiInputException>(() => SubmissionCsv.ReadSolution(noSize)).Message);

        string badSize = Path.Combine(dir, "badsize.csv");
        File.WriteAllText(badSize, "ImageId,EncodedPixels,Height,Width\na,1 2,3,4\na,5 1,3,x\n");
        Assert.StartsWith(badSize + ":3", Assert.Throws<NucleiInputException>(() => SubmissionCsv.ReadSolution(badSize)).Message);

        string empty = Path.Combine(dir, "empty.csv");
        File.WriteAllText(empty, "");
        Assert.Contains("empty", Assert.Throws<NucleiInputException>(() => SubmissionCsv.Read(empty)).Message);
    }

    [SkippableFact]
    public void RoundTripsEveryMaskOfTheSharedTrainingSet()
    {
        var all = SharedTrainingLabels.Require();
        int objects = 0;
        Parallel.ForEach(all, item =>
        {
            var (id, labels) = item;
            var encoded = RunLength.EncodeAll(labels);
            var rows = encoded.Select(kv => new RleRow(id, kv.Value, $"{id}:{kv.Key}")).ToList();
            var back = new RleImage(id, rows).ToLabels(labels.Height, labels.Width, allowOverlap: false);
            // Labels are 1..N in mask order, and EncodeAll lists them ascending, so the decode must be identical.
            Assert.Equal(labels.Data, back.Data);
            Interlocked.Add(ref objects, encoded.Count);
        });
        Assert.Equal(28986, objects);
    }
}
