using FsCheck;
using FsCheck.Fluent;
using Nuclei.Core;
using Nuclei.Core.Imaging;
using Nuclei.Core.Rle;
using Nuclei.Tests.Models;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using Xunit.Abstractions;

namespace Nuclei.Tests.Safety;

/// <summary>
/// Property-based fuzzing (FsCheck) of the parsers that read user files: run-length strings, submission and
/// solution CSVs, PNG/TIFF images and checkpoints mutated byte by byte. The property: a clear input error or a correct result,
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

    [Fact]
    public void A_cut_png_whose_chunk_name_holds_a_line_break_is_refused_in_one_line()
    {
        var labels = new LabelImage(12, 16);
        var (valid, ext) = ImageIO.EncodeLabels(labels, ".png");
        int idat = valid.AsSpan().IndexOf("IDAT"u8);
        var bytes = valid[..(idat + 6)];   // the chunk's length says more than the file holds
        bytes[idat + 2] = (byte)'\n';
        string path = Path.Combine(dir, "newline" + ext);
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsAny<NucleiInputException>(() => ImageIO.ReadImage(path));
        Assert.DoesNotContain('\n', e.Message);
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

    const int CheckpointCases = 200;

    /// <summary>
    /// Checkpoints mutated byte by byte and cut: version 2 anywhere (the file digest must catch it), and version 1 in its
    /// header and metadata (no digest there, and no weights digest either, so edits reach the JSON, the options and the
    /// configuration readers).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Mutated_checkpoints(int version)
    {
        string source = Path.Combine(dir, "source.nck");
        using (var net = ModelRegistry.Create("caunet", new ModelOptions { BaseWidth = 2, Depth = 1 }))
            Checkpoint.Save(source, net, new CheckpointInfo
            {
                Configuration = [new("param.threshold", "0.5"), new("post.min_object_size", "10"), new("pre.std", "[0.5, 0.5, 0.5]"), new("post.policy", "ws")],
            });
        byte[] valid = version == 2 ? File.ReadAllBytes(source)
            : CheckpointFormatTests.AsVersion1(File.ReadAllBytes(source), m => System.Text.RegularExpressions.Regex.Replace(m, ",\\s*\"WeightsSha256\": \"[0-9A-F]+\"", ""));
        int metadataEnd = version == 2 ? valid.Length : 20 + (int)BitConverter.ToInt64(valid, 12);
        int tried = 0, loaded = 0;
        var mutation = Gen.Zip(Gen.Choose(0, metadataEnd - 1), Gen.Choose(0, 255)).ListOf().Select(edits => edits.Take(6).ToList());
        var cut = Gen.Frequency((4, Gen.Constant(valid.Length)), (1, Gen.Choose(0, valid.Length)));
        string path = Path.Combine(dir, "fuzz.nck");
        Prop.ForAll(Gen.Zip(mutation, cut).ToArbitrary(), t =>
        {
            tried++;
            var bytes = valid[..t.Item2];
            foreach (var (at, value) in t.Item1) if (at < bytes.Length) bytes[at] = (byte)value;
            File.WriteAllBytes(path, bytes);
            return ClearErrorOrResult(() =>
            {
                using (Checkpoint.Load(path).Net) { }
                var settings = CheckpointModels.SettingsOf(path);
                CheckpointModels.PartitionOptionsOf(settings);
                CheckpointModels.NormalizationOf(settings);
                loaded++;
            });
        }).Check(Runs(CheckpointCases));
        output.WriteLine($"mutated version-{version} checkpoints: {tried} tried, {loaded} loaded, the others a one-line error, 0 unhandled exceptions");
    }
}
