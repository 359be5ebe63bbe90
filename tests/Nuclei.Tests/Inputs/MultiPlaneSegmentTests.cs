using Nuclei.Cli.Commands;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Torch.Inference;
using OpenCvSharp;
using Xunit.Abstractions;
using Nuclei.Cli;

namespace Nuclei.Tests.Inputs;

/// <summary>
/// A sample's nuclear stain hidden in files as microscopes write them (second channel of an OME-TIFF, a z-stack whose
/// first plane is dim) must give, with --channel / --z, the nuclei of the single-channel original (bundled model).
/// </summary>
public sealed class MultiPlaneSegmentTests(ITestOutputHelper output) : IDisposable
{
    const string Sample = "55ff2b0ec48b76e10c7ee18add5794005cd551697f96af865c763d50da78dd9c";
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-planes-segment-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [SkippableFact]
    public void Channel_and_z_choices_find_the_nuclei_of_the_single_channel_original()
    {
        string? model = DefaultModel.Locate(TestData.RepoRoot);
        Skip.If(model is null, "models/default.nck not present");
        using var gray = Cv2.ImRead(Path.Combine(TestData.SamplesDir, Sample, "images", Sample + ".png"), ImreadModes.Grayscale);
        int h = gray.Rows, w = gray.Cols;
        ushort[] Scaled(double factor)
        {
            gray.GetArray(out byte[] pixels);
            return pixels.Select(p => (ushort)Math.Round(p * 257 * factor)).ToArray();
        }
        var random = new Random(7);
        ushort[] noise = Enumerable.Range(0, h * w).Select(_ => (ushort)random.Next(0, 65536)).ToArray();

        string original = TestTiffs.Write(Path.Combine(dir, "original.tif"), h, w, [Scaled(1)]);
        string twoChannel = TestTiffs.Write(Path.Combine(dir, "two.ome.tif"), h, w, [noise, Scaled(1)],
            TestTiffs.OmeXml(h, w, 2, 1, names: ["GFP", "DAPI"]));
        string stack = TestTiffs.Write(Path.Combine(dir, "stack.ome.tif"), h, w, [Scaled(0.1), Scaled(1), Scaled(0.7)],
            TestTiffs.OmeXml(h, w, 1, 3));

        int reference = Count(original, PlaneChoice.Default, "original");
        Assert.True(reference > 5, $"original: {reference} nuclei");
        var counts = new Dictionary<string, int>
        {
            ["two.ome.tif --channel 2"] = Count(twoChannel, new PlaneChoice("2"), "channel2"),
            ["stack.ome.tif --z max"] = Count(stack, new PlaneChoice(Z: ZProjection.Max), "max"),
        };
        output.WriteLine($"original.tif: {reference} nuclei");
        foreach (var (name, n) in counts)
        {
            output.WriteLine($"{name}: {n} nuclei");
            Assert.True(Math.Abs(n - reference) <= 0.05 * reference, $"{name}: {n} nuclei vs {reference} in the original");
        }

        // Nothing chosen: the image fails with the refusal (before any network work), nothing is written for it.
        string refusedOut = Path.Combine(dir, "refused");
        Assert.Equal(1, SegmentCommand.Run(Settings([twoChannel], refusedOut, model!, PlaneChoice.Default) with { Segmenter = new() { Method = SegmentationMethod.Classical, Planes = PlaneChoice.Default } }));
        Assert.False(File.Exists(Path.Combine(refusedOut, "two.labels.png")));
        var e = Assert.Throws<Nuclei.Core.NucleiInputException>(() => MultiPlaneImage.Read(new InputImage("two", twoChannel), PlaneChoice.Default));
        output.WriteLine(e.Message);
        Assert.Equal($"{twoChannel}: 2 channels (GFP, DAPI); choose one with --channel", e.MessageFor(SettingFlags.Names));

        // --z each: one output per plane (the classical method, to spare the network three more images)
        string eachOut = Path.Combine(dir, "each");
        Assert.Equal(0, SegmentCommand.Run(Settings([stack], eachOut, model!, new PlaneChoice(Z: ZProjection.Each)) with { Segmenter = new() { Method = SegmentationMethod.Classical, Planes = new PlaneChoice(Z: ZProjection.Each) } }));
        foreach (string id in new[] { "stack_z1", "stack_z2", "stack_z3" })
            output.WriteLine($"stack.ome.tif --z each --method classical, {id}: {ImageIO.ReadLabels(Path.Combine(eachOut, id + ".labels.png")).MaxLabel()} nuclei");
        Assert.Equal(["image", "stack_z1", "stack_z2", "stack_z3"], File.ReadAllLines(Path.Combine(eachOut, "summary.csv")).Select(l => l.Split(',')[0]));

        int Count(string path, PlaneChoice planes, string name)
        {
            string outDir = Path.Combine(dir, "out-" + name);
            Assert.Equal(0, SegmentCommand.Run(Settings([path], outDir, model!, planes)));
            return ImageIO.ReadLabels(Path.Combine(outDir, InputCollector.IdOf(path) + ".labels.png")).MaxLabel();
        }
    }

    static SegmentCommand.SegmentSettings Settings(string[] inputs, string outDir, string model, PlaneChoice planes) =>
        new(inputs, outDir, Segmenter: new() { Models = [model], Planes = planes });
}
