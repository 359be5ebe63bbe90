using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Augmentation;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data synthesize DIR --out OUT [--count N] [--seed S] [--kind he|ihc|any]`: the nuclei of annotated images
/// rendered as stained brightfield tissue (<see cref="SyntheticStain"/>), written as a flat training set
/// (<c>&lt;id&gt;.png</c> with <c>&lt;id&gt;.labels.png</c>) plus synthetic.csv (synthetic_id, image_id, stain).
/// </summary>
internal static class DataSynthesizeCommand
{
    public const string CsvName = "synthetic.csv";

    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "annotated dataset folder: DSB layout (<id>/images, <id>/masks) or flat (<id>.png with <id>.labels.png)" };
        var output = new Option<string>("--out") { Description = "new folder for the stained images (<id>.png with <id>.labels.png) and synthetic.csv", Required = true };
        var count = new Option<int?>("--count") { Description = "how many images to render (default: one per annotated image; more go round the images again with other stains)" };
        var seed = SeedOption.Create("stains, textures and the images chosen");
        var kind = new Option<string>("--kind") { Description = "stain pair: he (haematoxylin & eosin), ihc (haematoxylin & DAB) or any (either, even odds)", DefaultValueFactory = _ => "any" };
        var command = new Command("synthesize", "Render the nuclei of annotated images (fluorescence ones too) as stained H&E or IHC tissue, as a new training set of images with their labels.");
        command.Arguments.Add(dir);
        foreach (var o in new Option[] { output, count, seed, kind }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(output)!, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(kind)!));
        return command;
    }

    static int Run(string dir, string outDir, int? count, int seed, string kindName)
    {
        var kind = SyntheticStainOptions.ParseKind(kindName);
        if (count is <= 0) throw new NucleiInputException(null, $"--count must be positive, got {count}");
        StagingFolder.RequireNew(outDir); // before the long part
        var dataset = DsbDataset.Scan(dir);
        var annotated = dataset.Samples.Where(s => s.HasAnnotation).ToList();
        if (annotated.Count == 0) throw new NucleiInputException(dir, "no annotated images (DSB layout or <id>.png with <id>.labels.png) to render");

        // A seeded order of the images, gone round as often as --count asks; each render has its own seeded Random,
        // so the output does not depend on the order the batch runs in.
        var order = Enumerable.Range(0, annotated.Count).ToArray();
        new Random(seed).Shuffle(order);
        int total = count ?? annotated.Count;
        var jobs = Enumerable.Range(0, total)
            .Select(k => (Sample: annotated[order[k % order.Length]], Round: k / order.Length + 1, Seed: DeriveSeed(seed, k)))
            .Select(j => (j.Sample, Id: $"{j.Sample.Id}_synth{j.Round}", j.Seed)).ToList();
        var stains = new string?[jobs.Count];
        var failures = StagingFolder.Build(outDir, staging =>
        {
            var failures = BatchRunner.Run(Enumerable.Range(0, jobs.Count).ToList(), i => jobs[i].Id, i =>
            {
                var (sample, id, jobSeed) = jobs[i];
                var loaded = DsbDataset.Load(sample);
                var rng = new Random(jobSeed);
                var stain = kind == SyntheticStainKind.Any ? (rng.Next(2) == 0 ? SyntheticStainKind.He : SyntheticStainKind.Ihc) : kind;
                var image = SyntheticStain.Render(loaded.Labels, loaded.Image, new SyntheticStainOptions { Kind = stain }, rng);
                SampleWriter.Write(staging, id, id + ".png", path => ImageIO.WriteImage8(path, image), loaded.Labels, dsbLayout: false);
                stains[i] = stain == SyntheticStainKind.He ? "he" : "ihc";
            }, "rendering", parallelism: Environment.ProcessorCount);
            CsvTable.Write(Path.Combine(staging, CsvName), ["synthetic_id", "image_id", "stain"],
                Enumerable.Range(0, jobs.Count).Where(i => stains[i] is not null).Select(i => new object?[] { jobs[i].Id, jobs[i].Sample.Id, stains[i] }));
            return failures;
        });
        Console.WriteLine($"rendered {jobs.Count - failures.Count} stained image(s) from {annotated.Count} annotated image(s) -> {outDir}" +
            (annotated.Count < dataset.Samples.Count ? $" ({dataset.Samples.Count - annotated.Count} image(s) without annotation skipped)" : ""));
        return BatchRunner.Report(failures, jobs.Count);
    }

    /// <summary>The random seed of render <paramref name="k"/>: well spread over ints, the same for a (seed, k) pair on every machine.</summary>
    static int DeriveSeed(int seed, int k) => unchecked((int)((uint)seed * 2654435761u + (uint)k * 40503u + 0x9E3779B9u));
}
