using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Mosaics;
using Nuclei.Core.IO;
using OpenCvSharp;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data mosaic DIR --out OUT [--seed S] [--csv dataset.csv]`: 2×2 mosaics of images of one acquisition (same
/// kind and size), with their nuclei, as extra training images; mosaics.csv lists the four images of each.
/// </summary>
internal static class DataMosaicCommand
{
    public const string CsvName = "mosaics.csv";

    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "annotated dataset folder: DSB layout (<id>/images, <id>/masks) or flat (<id>.png with <id>.labels.png)" };
        var output = new Option<string>("--out") { Description = "new folder for the mosaics (same layout as DIR) and mosaics.csv", Required = true };
        var seed = SeedOption.Create("which images share a mosaic");
        var csv = new Option<string?>("--csv") { Description = "categorised CSV (from `data describe`): acquisitions from sub_category instead of reading every image" };
        var command = new Command("mosaic", "Assemble 2x2 mosaics of same-kind, same-size images (and their nuclei) into larger training images; each image is used once.");
        command.Arguments.Add(dir);
        foreach (var o in new Option[] { output, seed, csv }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(output)!, parse.GetValue(seed), parse.GetValue(csv)));
        return command;
    }

    static int Run(string dir, string outDir, int seed, string? csvPath)
    {
        StagingFolder.RequireNew(outDir); // before the long part
        var dataset = DsbDataset.Scan(dir);
        var annotated = dataset.Samples.Where(s => s.HasAnnotation).ToList();
        var (items, kindFailures) = SampleKinds.Of(annotated, csvPath);
        var plan = MosaicPlan.Of(items, seed);
        var byId = annotated.ToDictionary(s => s.Id, StringComparer.Ordinal);
        bool dsb = DsbDataset.IsDsbLayout(dataset.Root);
        var numbered = plan.Select((ids, k) => (Id: $"mosaic-{k + 1:D4}", Ids: ids)).ToList();
        var failures = StagingFolder.Build(outDir, staging =>
        {
            var failures = BatchRunner.Run(numbered, m => m.Id, m =>
            {
                var samples = m.Ids.Select(id => byId[id]).ToList();
                var labels = MosaicBuilder.Labels(samples.Select(s => DsbDataset.Load(s).Labels).ToList());
                using Mat image = MosaicBuilder.Image(samples.Select(s => s.ImagePath).ToList());
                SampleWriter.Write(staging, m.Id, m.Id + ".png", path => Save(image, path), labels, dsb);
            }, "assembling", parallelism: Math.Max(1, Environment.ProcessorCount));
            var failed = failures.Select(f => f.Item).ToHashSet();
            var groupOf = items.ToDictionary(i => i.Id, i => i.Group);
            CsvTable.Write(Path.Combine(staging, CsvName), ["mosaic_id", "group", "top_left", "top_right", "bottom_left", "bottom_right"],
                numbered.Where(m => !failed.Contains(m.Id)).Select(m => new object?[] { m.Id, groupOf[m.Ids[0]] }.Concat(m.Ids).ToArray()));
            return failures;
        });
        Console.WriteLine($"assembled {numbered.Count - failures.Count} mosaic(s) of 2x2 images from {items.Count} annotated image(s) -> {outDir}");
        return BatchRunner.Report(kindFailures.Concat(failures).ToList(), items.Count + numbered.Count);
    }

    static void Save(Mat image, string path)
    {
        if (!Cv2.ImWrite(path, image)) throw new IOException($"{path}: OpenCV could not write the mosaic");
    }
}
