using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Output;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei merge FOLDER... --out DIR`: combines the output folders of a sharded run (`nuclei segment --shard K/N`)
/// into one: copies every finished image's files and record, then rebuilds summary.csv, the submission CSV,
/// measurements.csv and report.html from the records, as one `segment` run over all the images would have written them.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("FOLDER") { Description = "output folders of `nuclei segment` (e.g. one per --shard)", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "merged output folder (created when missing; images already in it are kept)", Required = true };
        var csv = new Option<string?>("--csv") { Description = "also write the submission CSV (ImageId,EncodedPixels) of all images to this file" };
        var pixelSize = new Option<double?>("--pixel-size") { Description = "micrometres per pixel for measurements.csv (give what the shards were given)" };
        var command = new Command("merge", "Combine the output folders of sharded `segment` runs: per-image files, then summary.csv, submission CSV, measurements.csv and report.html rebuilt");
        command.Arguments.Add(folders);
        foreach (var o in new Option[] { outDir, csv, pixelSize }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(folders) ?? [], parse.GetValue(outDir)!, parse.GetValue(csv), parse.GetValue(pixelSize)));
        return command;
    }

    /// <summary>
    /// Returns the exit code: 0 all merged, 1 some images could not be copied or some records were refused (a record
    /// that names files outside its folder, or that is not where its id says); bad folders throw before anything is written.
    /// </summary>
    public static int Run(IReadOnlyList<string> folders, string outDir, string? csv = null, double? pixelSizeUm = null)
    {
        var refused = new List<NucleiInputException>();
        var images = FinishedImages(folders, Path.GetFullPath(outDir), refused);
        // What the shards wrote decides what is rebuilt: measurements.csv when they measured, report.html when they reported.
        var options = new OutputOptions(
            Measure: images.Any(i => i.Record.Measurements is not null), PixelSizeUm: pixelSizeUm,
            Report: images.Any(i => i.Record.Report is not null));
        var writer = new SegmentationOutputWriter(outDir, csv, options: options,
            runDescription: $"nuclei merge {string.Join(' ', folders)}: {images.Count} image(s)");
        writer.EnsureNothingForeignIsReplaced(images.SelectMany(i => i.Record.Files.Select(f => Path.Combine(i.Folder, f.Name))),
            images.Select(i => i.Record.Image).ToList());
        Console.Error.WriteLine($"nuclei merge: {images.Count} image(s) from {folders.Count} folder(s) → {outDir}");
        var failures = BatchRunner.Run(images, i => Path.Combine(i.Folder, i.Record.Image), i => writer.Adopt(i.Folder, i.Record), "merging");
        Console.Error.WriteLine($"merged {images.Count - failures.Count} of {images.Count} image(s) into {outDir}" +
            (refused.Count == 0 ? "" : $"; {refused.Count} image record(s) refused"));
        // A refused record is an image of the shards that is not merged: an item that failed.
        failures = refused.Select(e => new BatchFailure(e.InputPath!, e.Message)).Concat(failures).ToList();
        failures = BatchRunner.Finish(writer, failures);
        BatchRunner.Announce(writer.Report);
        return BatchRunner.Report(failures, images.Count + refused.Count);
    }

    sealed record FinishedImage(string Folder, ImageRecord Record);

    /// <summary>
    /// The finished images of every folder; an image in two folders, or a folder that is not a nuclei output folder, is
    /// an input error. A record that would not read back where it was found goes to <paramref name="refused"/>.
    /// </summary>
    static IReadOnlyList<FinishedImage> FinishedImages(IReadOnlyList<string> folders, string outDir, List<NucleiInputException> refused)
    {
        var images = new List<FinishedImage>();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string folder in folders.Select(Path.GetFullPath))
        {
            if (folder == outDir) throw new NucleiInputException(folder, "is also --out; merge into a new folder");
            var records = new ImageRecords(folder);
            // A shard dealt no image (more shards than images) leaves a summary.csv and no records.
            if (!Directory.Exists(records.Folder) && !File.Exists(Path.Combine(folder, OutputLayout.SummaryFileName)))
                throw new NucleiInputException(folder, $"not an output folder of nuclei segment (no {ImageRecords.FolderName}/ nor {OutputLayout.SummaryFileName})");
            int refusedBefore = refused.Count;
            var finished = records.ReadAll(refused);
            int unfinished = records.CountStored() - finished.Count - (refused.Count - refusedBefore);
            if (unfinished > 0)
                Console.Error.WriteLine($"warning: {folder}: {unfinished} unfinished image(s) left out (rerun its segment with --resume)");
            foreach (var record in finished)
            {
                if (owner.TryGetValue(record.Image, out string? other))
                    throw new NucleiInputException(folder, $"image '{record.Image}' is also in {other}; each image must come from one folder");
                owner[record.Image] = folder;
                images.Add(new FinishedImage(folder, record));
            }
        }
        return images;
    }
}
