using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Terminal;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Checking;
using Nuclei.Core.IO;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data check DIR [--json FILE] [--fix OUT]`: label problems that silently hurt training, counted by kind;
/// exit 1 when any is found. `--fix` writes a corrected copy (never in place).
/// </summary>
internal static class DataCheckCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "dataset folder: DSB layout (<id>/images, <id>/masks) or flat (<id>.png with <id>.labels.png)" };
        var minSize = new Option<int>("--min-size") { Description = "report nuclei with fewer pixels (and drop them with --fix)", DefaultValueFactory = _ => 10 };
        var json = new Option<string?>("--json")
        {
            Description = "write the full report as JSON: to stdout instead of the text (--json alone, or --json -), or also to the file given (--json FILE)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var fix = new Option<string?>("--fix") { Description = "write a corrected copy to this new folder: overlaps to the smaller nucleus, holes filled, pieces split, small/empty/duplicate masks dropped, images without nuclei left out" };
        var all = new Option<bool>("--all") { Description = "list every problem (default: the first 20)" };

        var command = new Command("check", "Find label problems that silently hurt training: wrong-size, empty, non-binary, overlapping, duplicated, fragmented or holed masks, tiny nuclei, images without masks, transparent alpha.");
        command.Arguments.Add(dir);
        foreach (var o in new Option[] { minSize, json, fix, all }) command.Options.Add(o);
        // --json with no file: the report on stdout, as every command's --json does.
        command.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(minSize),
            parse.GetResult(json) is not null ? parse.GetValue(json) ?? "-" : null, parse.GetValue(fix), parse.GetValue(all)));
        return command;
    }

    static int Run(string dir, int minSize, string? jsonPath, string? fixDir, bool listAll)
    {
        if (jsonPath == "-") StandardOutput.BeginJson();
        var dataset = DsbDataset.Scan(dir);
        if (fixDir is not null) StagingFolder.RequireNew(fixDir); // before the long part
        var samples = dataset.Samples;
        var checks = new SampleCheck[samples.Count];
        var indices = Enumerable.Range(0, samples.Count).ToList();
        var failures = BatchRunner.Run(indices, i => samples[i].Id, i => checks[i] = SampleChecker.Check(samples[i], minSize),
            "checking", parallelism: Math.Max(1, Environment.ProcessorCount));
        var done = checks.Where(c => c is not null).ToList();
        var report = new CheckReport(dataset.Root, done, minSize);

        if (jsonPath == "-") StandardOutput.WriteJsonText(report.ToJson());
        else
        {
            PrintText(report, listAll);
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, report.ToJson());
        }
        if (fixDir is not null)
        {
            var (written, leftOut) = FixedCopy.Write(fixDir, done, DsbDataset.IsDsbLayout(dataset.Root));
            Messages.Info($"corrected copy: {written.Count} image(s) -> {fixDir}" +
                (leftOut.Count == 0 ? "" : $"; {leftOut.Count} left out (no usable nucleus), e.g. {string.Join(", ", leftOut.Take(3))}"));
        }
        int exit = BatchRunner.Report(failures, samples.Count);
        return exit != 0 || report.Problems.Count > 0 ? 1 : 0;
    }

    static void PrintText(CheckReport report, bool listAll)
    {
        Console.WriteLine($"checked {report.Images} image(s), {report.Masks} mask(s) in {report.Root} (minimum nucleus size {report.MinSize} px)");
        foreach (var (kind, problems, images) in report.Counts())
            Console.WriteLine($"  {kind.Name(),-12} {problems,7} in {images,4} image(s)   {kind.Meaning()}");
        if (report.OpaqueAlpha > 0)
            Console.WriteLine($"  note: {report.OpaqueAlpha} image(s) have a fully opaque alpha channel (harmless: alpha is ignored)");
        var shown = listAll ? report.Problems : report.Problems.Take(20).ToList();
        foreach (var p in shown) Console.WriteLine($"{p.Kind.Name()}: {p.File}: {p.Detail}");
        if (shown.Count < report.Problems.Count) Console.WriteLine($"... and {report.Problems.Count - shown.Count} more (--all, or --json FILE)");
        Console.WriteLine(report.Problems.Count == 0 ? "no problems found" : $"problems={report.Problems.Count} images={report.Problems.Select(p => p.Image).Distinct().Count()}");
    }
}
