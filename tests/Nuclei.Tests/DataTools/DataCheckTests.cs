using System.CommandLine;
using System.Text.Json;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Checking;

namespace Nuclei.Tests.DataTools;

public sealed class DataCheckTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-check-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>One image per problem kind (besides "unreadable"), each with one problem planted, plus one clean image.</summary>
    string PlantEveryProblem()
    {
        var ds = new PlantedDataset(Path.Combine(dir, "set"));
        ds.Image("clean"); ds.Box("clean", "a", 2, 2, 8, 8);
        ds.Image("nomasks");
        ds.Image("wrongsize"); ds.Box("wrongsize", "a", 2, 2, 8, 8); ds.Mask("wrongsize", "b", (y, x) => 255, 20, 20);
        ds.Image("empty"); ds.Box("empty", "a", 2, 2, 8, 8); ds.Mask("empty", "b", (y, x) => 0);
        ds.Image("nonbinary"); ds.Mask("nonbinary", "a", (y, x) => (byte)(y is >= 2 and < 10 && x is >= 2 and < 10 ? (x < 6 ? 255 : 128) : 0));
        ds.Image("overlap"); ds.Box("overlap", "a", 2, 2, 8, 8); ds.Box("overlap", "b", 2, 8, 8, 8); // columns 8..9 shared
        ds.Image("pieces"); ds.Mask("pieces", "a", (y, x) => (byte)(y is >= 2 and < 10 && (x is >= 2 and < 8 || x is >= 20 and < 26) ? 255 : 0));
        ds.Image("holes"); ds.Mask("holes", "a", (y, x) => (byte)(y is >= 2 and < 12 && x is >= 2 and < 12 && !(y == 6 && x == 6) ? 255 : 0));
        ds.Image("small"); ds.Box("small", "a", 2, 2, 8, 8); ds.Box("small", "b", 20, 20, 2, 2);
        ds.Image("duplicate"); ds.Box("duplicate", "a", 2, 2, 8, 8); ds.Box("duplicate", "b", 2, 2, 8, 8);
        ds.Image("alpha", alpha: 0); ds.Box("alpha", "a", 2, 2, 8, 8);
        ds.Image("opaque", alpha: 255); ds.Box("opaque", "a", 2, 2, 8, 8);
        return ds.Root;
    }

    [Fact]
    public void Reports_every_planted_problem_in_its_image()
    {
        string root = PlantEveryProblem();
        var checks = DsbDataset.Scan(root).Samples.Select(s => SampleChecker.Check(s, minSize: 10)).ToList();
        var report = new CheckReport(root, checks, 10);
        var expected = new Dictionary<ProblemKind, string>
        {
            [ProblemKind.NoMasks] = "nomasks", [ProblemKind.WrongSize] = "wrongsize", [ProblemKind.EmptyMask] = "empty",
            [ProblemKind.NonBinary] = "nonbinary", [ProblemKind.Overlap] = "overlap", [ProblemKind.Pieces] = "pieces",
            [ProblemKind.Holes] = "holes", [ProblemKind.Small] = "small", [ProblemKind.Duplicate] = "duplicate", [ProblemKind.Alpha] = "alpha",
        };
        Assert.Equal(expected.OrderBy(e => e.Key), report.Problems.Select(p => KeyValuePair.Create(p.Kind, p.Image)).OrderBy(e => e.Key));
        Assert.Equal(1, report.OpaqueAlpha);
        Assert.Contains("2 disconnected pieces of 48, 48 px", report.Problems.Single(p => p.Kind == ProblemKind.Pieces).Detail);
        Assert.Contains("shares 16 px", report.Problems.Single(p => p.Kind == ProblemKind.Overlap).Detail);
    }

    [Fact]
    public void Fix_writes_a_clean_copy_and_leaves_the_input_alone()
    {
        string root = PlantEveryProblem();
        var before = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order().ToList();
        string fixedDir = Path.Combine(dir, "fixed");
        var cli = new RootCommand { DataCommand.Create() };

        int exit = cli.Parse(new[] { "data", "check", root, "--fix", fixedDir, "--json", Path.Combine(dir, "report.json") }).Invoke();

        Assert.Equal(1, exit); // problems found
        Assert.Equal(before, Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order().ToList());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        Assert.Equal(12, json.RootElement.GetProperty("images").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("counts").GetProperty("overlap").GetProperty("problems").GetInt32());

        var again = DsbDataset.Scan(fixedDir).Samples.Select(s => SampleChecker.Check(s, 10)).ToList();
        Assert.DoesNotContain("nomasks", again.Select(c => c.Sample.Id)); // nothing to train on: left out
        Assert.Equal(new[] { ProblemKind.Alpha }, again.SelectMany(c => c.Problems).Select(p => p.Kind)); // alpha is not changed
        Assert.Equal(2, again.Single(c => c.Sample.Id == "pieces").Masks); // each piece its own nucleus
        Assert.Equal(1, again.Single(c => c.Sample.Id == "duplicate").Masks);
        var overlap = DsbDataset.Load(DsbDataset.Scan(fixedDir).Samples.Single(s => s.Id == "overlap"));
        Assert.Equal(0, overlap.OverlapPixels);
    }

    [Fact]
    public void A_nucleus_inside_anothers_ring_is_not_a_hole()
    {
        var ds = new PlantedDataset(Path.Combine(dir, "ring"));
        ds.Image("r");
        ds.Mask("r", "ring", (y, x) => (byte)(y is >= 2 and < 20 && x is >= 2 and < 20 && !(y is >= 6 and < 16 && x is >= 6 and < 16) ? 255 : 0));
        ds.Box("r", "inner", 6, 6, 10, 10);
        var check = SampleChecker.Check(DsbDataset.Scan(ds.Root).Samples.Single(), 10);
        Assert.Empty(check.Problems);
    }

    [Fact]
    public void Fix_refuses_an_existing_folder()
    {
        string root = PlantEveryProblem();
        var cli = new RootCommand { DataCommand.Create() };
        Assert.Throws<Nuclei.Core.NucleiInputException>(() => cli.Parse(new[] { "data", "check", root, "--fix", root }).Invoke(
            new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }

    [Fact]
    public void Repair_fills_holes_splits_pieces_and_drops_small_objects()
    {
        var labels = new Nuclei.Core.Imaging.LabelImage(10, 20);
        for (int y = 1; y < 6; y++) for (int x = 1; x < 6; x++) if (!(y == 3 && x == 3)) labels[y, x] = 1; // ring with a hole
        for (int y = 1; y < 6; y++) for (int x = 10; x < 15; x++) labels[y, x] = 1; // a second piece of label 1
        labels[8, 18] = 2; // a speck
        var fixedLabels = LabelRepair.Repair(labels, minSize: 4);
        Assert.Equal(2, fixedLabels.MaxLabel());
        Assert.Equal(1, fixedLabels[3, 3]);
        Assert.Equal(2, fixedLabels[3, 12]);
        Assert.Equal(0, fixedLabels[8, 18]);
    }
}
