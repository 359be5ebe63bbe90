using System.CommandLine;
using Nuclei.Cli.Commands.Data;
using Nuclei.Core.Data.Splitting;

namespace Nuclei.Tests.DataTools;

public sealed class SplitTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-split-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>100 "a" images in 20 groups of 5, 40 "b" images in 10 groups of 4.</summary>
    static List<SplitItem> Items() =>
        Enumerable.Range(0, 100).Select(i => new SplitItem($"a{i:D3}", "a", $"a-g{i / 5}"))
            .Concat(Enumerable.Range(0, 40).Select(i => new SplitItem($"b{i:D3}", "b", $"b-g{i / 4}"))).ToList();

    [Fact]
    public void Holdout_takes_each_kinds_share_in_whole_groups()
    {
        var items = Items();
        var valid = StratifiedGroupSplit.Holdout(items, 0.2, seed: 7);
        Assert.Equal(20, items.Count(i => i.Kind == "a" && valid.Contains(i.Id)));
        Assert.Equal(8, items.Count(i => i.Kind == "b" && valid.Contains(i.Id)));
        Assert.All(items.GroupBy(i => i.Group), g => Assert.Single(g.Select(i => valid.Contains(i.Id)).Distinct()));
        Assert.Equal(valid, StratifiedGroupSplit.Holdout(items, 0.2, seed: 7));
        Assert.NotEqual(valid, StratifiedGroupSplit.Holdout(items, 0.2, seed: 8));
    }

    [Fact]
    public void Folds_balance_each_kind_and_keep_groups_whole()
    {
        var items = Items();
        var fold = StratifiedGroupSplit.Folds(items, 4, seed: 1);
        for (int f = 0; f < 4; f++)
        {
            Assert.Equal(25, items.Count(i => i.Kind == "a" && fold[i.Id] == f));
            Assert.Contains(items.Count(i => i.Kind == "b" && fold[i.Id] == f), new[] { 8, 12 }); // 10 groups of 4 over 4 folds
        }
        Assert.All(items.GroupBy(i => i.Group), g => Assert.Single(g.Select(i => fold[i.Id]).Distinct()));
    }

    [Fact]
    public void The_same_seed_writes_identical_folders_of_links()
    {
        string First(string name) => Run(name, "--folds", "2");
        string Run(string name, params string[] extra)
        {
            string outDir = Path.Combine(dir, name);
            int exit = new RootCommand { DataCommand.Create() }.Parse(new[] { "data", "split", TestData.SamplesDir, "--out", outDir, "--seed", "3", "--group", "none" }.Concat(extra).ToArray()).Invoke();
            Assert.Equal(0, exit);
            return outDir;
        }
        string a = First("a"), b = First("b");
        string[] Listing(string root) => Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Listing(a), Listing(b));
        Assert.Equal(File.ReadAllText(Path.Combine(a, "split.csv")), File.ReadAllText(Path.Combine(b, "split.csv")));
        // Every sample is in exactly one valid folder, and its files are the originals' bytes.
        var valids = Listing(a).Where(f => f.Contains("valid") && f.Contains("images")).ToList();
        Assert.Equal(4, valids.Count);
        string original = Directory.GetFiles(TestData.SamplesDir, "*.png", SearchOption.AllDirectories).First(f => f.Contains("images"));
        string copy = Directory.GetFiles(a, Path.GetFileName(original), SearchOption.AllDirectories).First();
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(copy));

        string holdout = Run("holdout", "--valid", "0.5");
        Assert.True(Directory.Exists(Path.Combine(holdout, "train")) && Directory.Exists(Path.Combine(holdout, "valid")));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(holdout, "split.csv")).Length);
    }

    [Fact]
    public void A_split_that_can_hold_nothing_out_is_an_error_and_writes_nothing()
    {
        // the samples are one acquisition per kind: kept whole, nothing can go to the validation side
        string outDir = Path.Combine(dir, "whole");
        var e = Assert.Throws<Nuclei.Core.NucleiInputException>(() => new RootCommand { DataCommand.Create() }
            .Parse(new[] { "data", "split", TestData.SamplesDir, "--out", outDir, "--valid", "0.5" })
            .Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
        Assert.Contains("fill only 1 of the 2 sides asked", e.Message);
        Assert.Contains("--group none", e.Message);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Refuses_an_existing_output_folder()
    {
        var cli = new RootCommand { DataCommand.Create() };
        Assert.Throws<Nuclei.Core.NucleiInputException>(() => cli.Parse(new[] { "data", "split", TestData.SamplesDir, "--out", dir })
            .Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
    }
}
