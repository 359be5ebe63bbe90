using System.CommandLine;
using System.Globalization;
using Nuclei.Core.IO;
using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Splitting;
using Nuclei.Torch.Training;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data split DIR --out OUT [--valid F | --folds K | --hold-out-kind KIND] [--seed S] [--group acquisition|none] [--csv dataset.csv]`:
/// a seeded split stratified by kind and grouped by acquisition, or every image of one kind held out, written as
/// folders of links plus split.csv.
/// </summary>
internal static class DataSplitCommand
{
    public static Command Create()
    {
        var defaults = ConfigurationLoader.Defaults();
        var dir = new Argument<string>("DIR") { Description = "dataset folder: DSB layout (<id>/images, <id>/masks) or flat (<id>.png with <id>.labels.png)" };
        var output = new Option<string>("--out") { Description = "new folder for train/ and valid/ (or fold-K/train and fold-K/valid) and split.csv", Required = true };
        var valid = new Option<double>("--valid") { Description = "share of each kind held out for validation", DefaultValueFactory = _ => defaults.GetDouble("dataset", "cv_ratio") };
        var folds = new Option<int>("--folds") { Description = "K > 1: k-fold instead of one hold-out; fold-K/valid holds fold K, fold-K/train the others" };
        var seed = SeedOption.Create("which groups go to which side",
            $"; `train` splits with [dataset] cv_seed ({defaults.GetInt("dataset", "cv_seed")} in config/default.ini): give that to get its split");
        var group = new Option<string>("--group") { Description = "images kept together: acquisition (same kind and size) or none", DefaultValueFactory = _ => "acquisition" };
        var holdOutKind = new Option<string?>("--hold-out-kind") { Description = $"leave-kind-out validation: every image of this kind ({string.Join(", ", ImageKind.All)}, as `data describe` classifies them) goes to valid/, all others to train/ (instead of --valid; not with --folds)" };
        var csv = new Option<string?>("--csv") { Description = "categorised CSV (from `data describe`): kinds from major_category, acquisitions from sub_category, instead of reading every image" };

        var command = new Command("split", "Split a dataset for training: seeded, stratified by kind of image, whole acquisitions kept together, hold-out or k-fold; folders of hard links (else symlinks, else copies) and split.csv.");
        command.Arguments.Add(dir);
        foreach (var o in new Option[] { output, valid, folds, holdOutKind, seed, group, csv }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(output)!, parse.GetValue(valid), parse.GetValue(folds),
            parse.GetValue(seed), parse.GetValue(group)!, parse.GetValue(csv), parse.GetValue(holdOutKind)));
        return command;
    }

    /// <summary>The whole verb (also what `train --folds` splits with); returns the exit code.</summary>
    /// <param name="holdOutKind">leave-kind-out: every image of this kind is held out (null: a stratified split)</param>
    public static int Run(string dir, string outDir, double validFraction, int folds, int seed, string grouping, string? csvPath, string? holdOutKind = null)
    {
        string? kindOut = holdOutKind is null ? null : LeaveKindOut.Parse(holdOutKind);
        if (kindOut is not null && folds != 0) throw new NucleiInputException(null, "--hold-out-kind makes one hold-out (one kind against the others); leave --folds out");
        if (grouping is not ("acquisition" or "none")) throw new NucleiInputException(null, $"--group must be acquisition or none, got '{grouping}'");
        if (folds == 1 || folds < 0) throw new NucleiInputException(null, $"--folds must be 2 or more (or 0 for one hold-out), got {folds}");
        if (folds == 0 && kindOut is null && validFraction is <= 0 or >= 1) throw new NucleiInputException(null, $"--valid must be between 0 and 1, got {validFraction}");
        StagingFolder.RequireNew(outDir); // before the long part

        var dataset = DsbDataset.Scan(dir);
        var (items, failures) = SampleKinds.Of(dataset.Samples, csvPath);
        if (grouping == "none") items = items.Select(i => i with { Group = i.Id }).ToList();
        var samples = dataset.Samples.Where(s => items.Any(i => i.Id == s.Id)).ToList();

        Dictionary<string, string> side; // id -> "train"/"valid" or fold number
        Dictionary<string, IReadOnlyList<string>> places;
        if (folds == 0)
        {
            var held = kindOut is null ? StratifiedGroupSplit.Holdout(items, validFraction, seed) : LeaveKindOut.Holdout(items, kindOut);
            side = items.ToDictionary(i => i.Id, i => held.Contains(i.Id) ? "valid" : "train");
            places = side.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)new[] { p.Value });
        }
        else
        {
            var fold = StratifiedGroupSplit.Folds(items, folds, seed);
            side = fold.ToDictionary(p => p.Key, p => (p.Value + 1).ToString(CultureInfo.InvariantCulture));
            places = fold.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)Enumerable.Range(1, folds)
                .Select(k => Path.Combine($"fold-{k}", k == p.Value + 1 ? "valid" : "train")).ToList());
        }

        int sides = folds == 0 ? 2 : folds;
        string share = kindOut is not null ? $" (--hold-out-kind {kindOut}: {side.Values.Count(v => v == "valid")} image(s) of that kind, {side.Values.Count(v => v == "train")} of others)"
            : folds == 0 ? $" (--valid {validFraction.ToString(CultureInfo.InvariantCulture)} of each kind, in whole groups)" : "";
        RequireEverySide(dir, items, failures, side, sides, kindOut is null ? grouping : "none", share);
        var links = SplitWriter.Write(outDir, samples, places, DsbDataset.IsDsbLayout(dataset.Root), Csv(items, side, folds == 0 ? "set" : "fold"));
        PrintProportions(items, side);
        if (kindOut is null) WarnUnsplitKinds(items, side, sides, grouping);   // held out by kind, no kind is meant to reach both sides
        Console.WriteLine($"wrote {outDir} ({string.Join(", ", links.Where(l => l.Value > 0).Select(l => $"{l.Value} {l.Key.ToString().ToLowerInvariant()} link(s)"))}) and {SplitWriter.CsvName}; " +
            (kindOut is null ? $"seed {seed}" : $"{kindOut} held out"));
        return BatchRunner.Report(failures, dataset.Samples.Count);
    }

    static string Csv(IReadOnlyList<SplitItem> items, IReadOnlyDictionary<string, string> side, string column)
    {
        var rows = items.OrderBy(i => i.Id, StringComparer.Ordinal).Select(i => new object?[] { i.Id, i.Kind, i.Group, side[i.Id] });
        return CsvTable.Format(["image_id", "kind", "group", column], rows);
    }

    /// <summary>A split with an empty side (no validation images, or an empty fold) is no split: an error, before anything is written.</summary>
    static void RequireEverySide(string dir, IReadOnlyList<SplitItem> items, IReadOnlyList<BatchFailure> unread, IReadOnlyDictionary<string, string> side,
        int sides, string grouping, string share)
    {
        int reached = side.Values.Distinct().Count();
        if (reached >= sides) return;
        string unreadable = unread.Count == 0 ? "" : $"; {unread.Count} image(s) could not be read (first: {unread[0].Item}: {unread[0].Message})";
        string whole = grouping == "none" ? "" : "; acquisitions are kept whole, and these are too few or too large to share out " +
            "(`nuclei data split --group none` splits image by image, and `train --folds` takes its output as --data)";
        throw new NucleiInputException(dir, $"its {items.Count} image(s) in {items.Select(i => i.Group).Distinct().Count()} group(s) fill only {reached} of the {sides} sides asked{share}{unreadable}{whole}");
    }

    /// <summary>A kind whose images all landed on fewer sides than asked could not be stratified: say so, and why.</summary>
    static void WarnUnsplitKinds(IReadOnlyList<SplitItem> items, IReadOnlyDictionary<string, string> side, int sides, string grouping)
    {
        foreach (var kind in items.GroupBy(i => i.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int groups = kind.Select(i => i.Group).Distinct().Count(), reached = kind.Select(i => side[i.Id]).Distinct().Count();
            if (reached < sides)
                Terminal.Messages.Warning($"{kind.Key} ({kind.Count()} images in {groups} group(s)) reaches only {reached} of {sides} sides" +
                    (grouping == "none" ? "" : ": its acquisitions are too few or too large to share out whole; --group none splits image by image"));
        }
    }

    static void PrintProportions(IReadOnlyList<SplitItem> items, IReadOnlyDictionary<string, string> side)
    {
        var sides = side.Values.Distinct().Order(StringComparer.Ordinal).ToList();
        Console.WriteLine($"{"kind",-14} {"images",6} " + string.Join(" ", sides.Select(s => $"{s,14}")));
        foreach (var kind in items.GroupBy(i => i.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Append(items.GroupBy(_ => "all").Single()))
        {
            int n = kind.Count();
            Console.WriteLine($"{kind.Key,-14} {n,6} " + string.Join(" ", sides.Select(s =>
            {
                int k = kind.Count(i => side[i.Id] == s);
                return string.Create(CultureInfo.InvariantCulture, $"{k,6} ({100.0 * k / n,4:0.0}%)");
            })));
        }
    }
}
