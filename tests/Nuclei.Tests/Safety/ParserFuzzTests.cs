using FsCheck;
using FsCheck.Fluent;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.Rle;
using Xunit.Abstractions;

namespace Nuclei.Tests.Safety;

/// <summary>
/// Property-based fuzzing (FsCheck) of the parsers that read user files: run-length strings, submission and
/// solution CSVs, and PNG/TIFF images mutated byte by byte. The property: a clear input error or a correct result,
/// never another exception.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output) : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-fuzz-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    const int Cases = 2000;
    const int ImageCases = 300; // a mutated PNG takes ~0.3 s to reject on this machine
    static Config Runs(int n) => Config.QuickThrowOnFailure.WithMaxTest(n).WithQuietOnSuccess(true);

    /// <summary>True when <paramref name="parse"/> succeeds or fails with a one-line <see cref="NucleiInputException"/>.</summary>
    static bool ClearErrorOrResult(Action parse)
    {
        try { parse(); return true; }
        catch (NucleiInputException e) { return !e.Message.Contains('\n'); }
    }

    static readonly string[] Numbers = ["0", "1", "2", "7", "19", "20", "21", "-1", "2147483647", "2147483648", "4294967301",
        "9223372036854775807", "9223372032559808523", "99999999999999999999", "+3", "1e3", "0x10", "", "١٢"];

    [Fact]
    public void Run_length_strings_of_hostile_numbers()
    {
        int tried = 0;
        var tokens = Gen.Elements(Numbers).ListOf().Select(l => string.Join(' ', l));
        Prop.ForAll(tokens.ToArbitrary(), rle =>
        {
            tried++;
            return ClearErrorOrResult(() =>
            {
                var runs = RunLength.Parse(rle, 20, "f.csv:2");
                RunLength.Paint(new LabelImage(4, 5), runs, 1, "f.csv:2", allowOverlap: false);
            });
        }).Check(Runs(Cases));
        output.WriteLine($"run-length strings: {tried} tried, 0 unhandled exceptions");
    }

    [Fact]
    public void Submission_and_solution_csvs_with_hostile_fields()
    {
        int tried = 0;
        var field = Gen.OneOf(Gen.Elements(Numbers), Gen.Elements("a", "\"q\"", "\"a,b\"", "=x", "'-y", "", " ", "\"", "1 2 3 4", "ImageId"));
        var row = field.ListOf().Select(f => string.Join(',', f));
        var header = Gen.Elements("ImageId,EncodedPixels", "ImageId,EncodedPixels,Height,Width", "EncodedPixels,ImageId,Width,Height", "Id,Pixels", "");
        var files = Gen.Zip(header, row.ListOf()).Select(t => t.Item1 + "\n" + string.Join('\n', t.Item2));
        string path = Path.Combine(dir, "fuzz.csv");
        Prop.ForAll(files.ToArbitrary(), text =>
        {
            tried++;
            File.WriteAllText(path, text);
            return ClearErrorOrResult(() =>
            {
                foreach (var image in SubmissionCsv.GroupByImage(SubmissionCsv.Read(path))) image.ToLabels(4, 5, allowOverlap: false);
            }) && ClearErrorOrResult(() =>
            {
                foreach (var image in SubmissionCsv.GroupByImage(SubmissionCsv.ReadSolution(path))) image.ToLabels(allowOverlap: true);
            });
        }).Check(Runs(Cases));
        output.WriteLine($"CSV files: {tried} tried (each read as submission and as solution), 0 unhandled exceptions");
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".tif")]
    public void Mutated_images(string extension)
    {
        var labels = new LabelImage(12, 16);
        for (int i = 0; i < labels.Data.Length; i++) labels.Data[i] = i % 7;
        var (valid, ext) = ImageIO.EncodeLabels(labels, extension);
        int tried = 0;
        var mutation = Gen.Zip(Gen.Choose(0, valid.Length - 1), Gen.Choose(0, 255)).ListOf()
            .Select(edits => edits.Take(8).ToList());
        var cut = Gen.Choose(1, valid.Length);
        string path = Path.Combine(dir, "fuzz" + ext);
        Prop.ForAll(Gen.Zip(mutation, cut).ToArbitrary(), t =>
        {
            tried++;
            var bytes = valid[..t.Item2];
            foreach (var (at, value) in t.Item1) if (at < bytes.Length) bytes[at] = (byte)value;
            File.WriteAllBytes(path, bytes);
            return ClearErrorOrResult(() => ImageIO.ReadLabels(path)) && ClearErrorOrResult(() => ImageIO.ReadImage(path));
        }).Check(Runs(ImageCases));
        output.WriteLine($"mutated {ext} files: {tried} tried (each read as labels and as image), 0 unhandled exceptions");
    }
}
