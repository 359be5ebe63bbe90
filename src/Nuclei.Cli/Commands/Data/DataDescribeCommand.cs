using System.CommandLine;
using System.Globalization;
using Nuclei.Cli.Batch;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Describing;
using Nuclei.Core.Output;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data describe DIR [--out OUT]`: images by size and by kind, nuclei per kind; with --out, the categorised
/// dataset.csv that `train` reads ([dataset] csv_file) and two PNG plots.
/// </summary>
internal static class DataDescribeCommand
{
    public const string CsvName = "dataset.csv";

    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "dataset folder: DSB layout (<id>/images, <id>/masks) or flat (<id>.png with <id>.labels.png)" };
        var output = new Option<string?>("--out") { Description = "write dataset.csv (image_id,source,major_category,sub_category,...), nucleus-areas.png and nuclei-per-image.png here" };
        var command = new Command("describe", "What a dataset holds: images by size and by kind (fluorescence, colour-bright, grey-bright, from pixel statistics), nucleus counts and sizes per kind.");
        command.Arguments.Add(dir);
        command.Options.Add(output);
        command.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(output)));
        return command;
    }

    static int Run(string dir, string? outDir)
    {
        var dataset = DsbDataset.Scan(dir);
        var facts = new ImageFacts?[dataset.Samples.Count];
        var indices = Enumerable.Range(0, facts.Length).ToList();
        var failures = BatchRunner.Run(indices, i => dataset.Samples[i].Id, i => facts[i] = ImageFacts.Of(dataset.Samples[i]),
            "describing", parallelism: Math.Max(1, Environment.ProcessorCount));
        var images = facts.Where(f => f is not null).Select(f => f!).ToList();

        Print(dataset.Root, images);
        if (outDir is not null) WriteOutputs(outDir, dataset.Root, images);
        return BatchRunner.Report(failures, facts.Length);
    }

    static void Print(string root, IReadOnlyList<ImageFacts> images)
    {
        Console.WriteLine($"{images.Count} image(s) in {root}");
        Console.WriteLine("by kind:");
        foreach (var k in DatasetSummary.ByKind(images))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {k.Kind,-14} {k.Images,5} images {k.Nuclei,7} nuclei ({k.NucleiPerImage:0.#} per image)  area px p10/median/p90 = {k.AreaP10:0}/{k.AreaMedian:0}/{k.AreaP90:0}"));
        Console.WriteLine("by size (height x width):");
        foreach (var (size, n) in DatasetSummary.BySize(images)) Console.WriteLine($"  {size,-10} {n,5}");
        Console.WriteLine("acquisitions (kind and size): " + images.Select(f => f.Acquisition).Distinct().Count());
        Console.WriteLine(string.Join(" ", DatasetSummary.ByKind(images).Select(k => $"{k.Kind}={k.Images}")));
    }

    static void WriteOutputs(string outDir, string root, IReadOnlyList<ImageFacts> images)
    {
        Directory.CreateDirectory(outDir);
        string csv = Path.Combine(outDir, CsvName);
        CategoryCsv.Write(csv, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))), images);
        var kinds = DatasetSummary.ByKind(images).Select(k => k.Kind).ToList();
        HistogramPlot.Write(Path.Combine(outDir, "nucleus-areas.png"), "Nucleus area by kind of image", "nucleus area, px",
            kinds.Select(k => (k, (IReadOnlyList<double>)images.Where(f => f.Kind == k).SelectMany(f => f.NucleusAreas).Select(a => (double)a).ToList())).ToList());
        HistogramPlot.Write(Path.Combine(outDir, "nuclei-per-image.png"), "Nuclei per image by kind of image", "nuclei per image",
            kinds.Select(k => (k, (IReadOnlyList<double>)images.Where(f => f.Kind == k).Select(f => (double)f.NucleusAreas.Length).ToList())).ToList());
        Console.WriteLine($"wrote {csv} (use it with [dataset] csv_file), nucleus-areas.png and nuclei-per-image.png in {outDir}");
    }
}
