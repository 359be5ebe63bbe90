using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Data.Converting;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data convert INPUT --from F --to T --out OUT [--images DIR]`: annotations between the DSB layout, label-map
/// folders, the Kaggle run-length CSV, Cellpose and StarDist layouts.
/// </summary>
internal static class DataConvertCommand
{
    public static Command Create()
    {
        string names = string.Join(", ", AnnotationFormatNames.All);
        var input = new Argument<string>("INPUT") { Description = "the annotated set: a folder, or a run-length CSV (--from rle)" };
        var from = new Option<string>("--from") { Description = $"input format: {names}", Required = true };
        var to = new Option<string>("--to") { Description = $"output format: {names}", Required = true };
        var output = new Option<string>("--out") { Description = "new folder (or, for --to rle, new CSV file)", Required = true };
        var images = new Option<string?>("--images") { Description = "with --from rle: the folder holding the images (searched recursively for <ImageId>.png/.tif/...)" };

        var command = new Command("convert", "Convert annotations between formats: dsb (<id>/images, <id>/masks), labels (<id>.png + <id>.labels.png), rle (Kaggle run-length CSV), cellpose (<id>_masks.png), stardist (images/, masks/ label TIFFs).");
        command.Arguments.Add(input);
        foreach (var o in new Option[] { from, to, output, images }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(input)!, Format(parse.GetValue(from)!, "--from"), Format(parse.GetValue(to)!, "--to"),
            parse.GetValue(output)!, parse.GetValue(images)));
        return command;
    }

    static AnnotationFormat Format(string text, string option) => AnnotationFormatNames.TryParse(text, out var format)
        ? format : throw new NucleiInputException(null, $"{option} must be one of {string.Join(", ", AnnotationFormatNames.All)}, got '{text}'");

    static int Run(string input, AnnotationFormat from, AnnotationFormat to, string output, string? imagesDir)
    {
        var samples = AnnotationReader.Open(from, input, imagesDir);
        using var writer = new AnnotationWriter(to, output);
        long nuclei = 0;
        var failures = BatchRunner.Run(samples, s => s.Id, s =>
        {
            var labels = s.LoadLabels();
            writer.Add(s.Id, s.ImagePath, labels);
            Interlocked.Add(ref nuclei, labels.MaxLabel());
        }, "converting", parallelism: Math.Max(1, Environment.ProcessorCount));
        writer.Finish();
        Console.WriteLine($"converted {samples.Count - failures.Count} of {samples.Count} image(s), {nuclei} nuclei, {from.Name()} -> {to.Name()}: {output}");
        return BatchRunner.Report(failures, samples.Count);
    }
}
