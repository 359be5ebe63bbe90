using System.CommandLine;
using System.Globalization;
using Nuclei.Cli.Batch;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Data.Cropping;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;

namespace Nuclei.Cli.Commands.Data;

/// <summary>
/// `nuclei data crop DIR --out OUT [--width 256] [--step 200] [--min-size 10] [--keep-empty]`: tiles of every image and
/// its labels, in the layout the input came in, plus tiles.csv (tile_id, image_id, position, nuclei).
/// </summary>
internal static class DataCropCommand
{
    public const string CsvName = "tiles.csv";

    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "annotated dataset folder: DSB layout (<id>/images, <id>/masks) or flat (<id>.png with <id>.labels.png)" };
        var output = new Option<string>("--out") { Description = "new folder for the tiles (same layout as DIR) and tiles.csv", Required = true };
        var width = new Option<int>("--width") { Description = "tile side, px", DefaultValueFactory = _ => 256 };
        var step = new Option<int>("--step") { Description = "distance between tiles, px (less than --width: tiles overlap)", DefaultValueFactory = _ => 200 };
        var minSize = new Option<int>("--min-size") { Description = "drop pieces of nuclei under this many px left in a tile", DefaultValueFactory = _ => 10 };
        var keepEmpty = new Option<bool>("--keep-empty") { Description = "also write tiles with no nucleus (default: left out)" };

        var command = new Command("crop", "Cut annotated images into square tiles: masks cut and renumbered, small pieces dropped, empty tiles optional.");
        command.Arguments.Add(dir);
        foreach (var o in new Option[] { output, width, step, minSize, keepEmpty }) command.Options.Add(o);
        command.SetAction(parse => Run(parse.GetValue(dir)!, parse.GetValue(output)!, parse.GetValue(width), parse.GetValue(step),
            parse.GetValue(minSize), parse.GetValue(keepEmpty)));
        return command;
    }

    static int Run(string dir, string outDir, int size, int step, int minSize, bool keepEmpty)
    {
        if (size <= 0 || step <= 0) throw new NucleiInputException(null, $"--width and --step must be positive, got {size} and {step}");
        var dataset = DsbDataset.Scan(dir);
        bool dsb = DsbDataset.IsDsbLayout(dataset.Root);
        var samples = dataset.Samples.Where(s => s.HasAnnotation).ToList();
        var (rows, failures) = StagingFolder.Build(outDir, staging =>
        {
            var rows = new List<object?[]>[samples.Count];
            var failures = BatchRunner.Run(Enumerable.Range(0, samples.Count).ToList(), i => samples[i].Id,
                i => rows[i] = CropOne(samples[i], staging, dsb, size, step, minSize, keepEmpty), "cropping", parallelism: Math.Max(1, Environment.ProcessorCount));
            CsvTable.Write(Path.Combine(staging, CsvName), ["tile_id", "image_id", "top", "left", "height", "width", "nuclei"],
                rows.Where(r => r is not null).SelectMany(r => r));
            return (rows, failures);
        });
        int tiles = rows.Where(r => r is not null).Sum(r => r.Count);
        Console.WriteLine($"cropped {samples.Count - failures.Count} image(s) into {tiles} tile(s) of {size}x{size} every {step} px -> {outDir}" +
            (samples.Count < dataset.Samples.Count ? $" ({dataset.Samples.Count - samples.Count} image(s) without annotation skipped)" : ""));
        return BatchRunner.Report(failures, samples.Count);
    }

    /// <summary>Writes the tiles of one sample; returns their tiles.csv rows.</summary>
    static List<object?[]> CropOne(AnnotatedSample sample, string root, bool dsb, int size, int step, int minSize, bool keepEmpty)
    {
        var labels = DsbDataset.Load(sample).Labels;
        using var image = ImageIO.Decode(sample.ImagePath);
        string extension = TileCutter.ExtensionFor(image);
        var rows = new List<object?[]>();
        foreach (var tile in TileGrid.Of(labels.Height, labels.Width, size, step))
        {
            var cut = TileCutter.Labels(labels, tile, minSize);
            int nuclei = cut.MaxLabel();
            if (nuclei == 0 && !keepEmpty) continue;
            string id = string.Create(CultureInfo.InvariantCulture, $"{sample.Id}_{tile.Top}_{tile.Left}");
            SampleWriter.Write(root, id, id + extension, path => TileCutter.WriteImage(image, tile, path), cut, dsb);
            rows.Add([id, sample.Id, tile.Top, tile.Left, tile.Height, tile.Width, nuclei]);
        }
        return rows;
    }
}
