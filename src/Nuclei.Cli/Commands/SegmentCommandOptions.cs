using System.CommandLine;
using Nuclei.Cli.Big;
using Nuclei.Cli.Terminal;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The arguments and options of `nuclei segment`, declared once: added to the command in --help order, and read into
/// <see cref="SegmentCommand.SegmentSettings"/> (the library's <see cref="SegmenterOptions"/> and what only the command uses).
/// </summary>
internal sealed class SegmentCommandOptions
{
    readonly Argument<string[]> inputs = new("INPUT")
    {
        Description = "image files, folders of images, or DSB-layout folders (<id>/images/<id>.png); " +
                      "section.key=value arguments override post-processing settings ([param] threshold*, [post] ...); or --list",
        Arity = ArgumentArity.ZeroOrMore,
    };
    readonly Option<string> outDir = new("--out") { Description = "output folder (created when missing)", Required = true };
    readonly Option<string?> csv = new("--csv") { Description = "also write a submission CSV (ImageId,EncodedPixels) to this file" };
    readonly Option<string?> method = new("--method") { Description = "WHICH segmenter: model (a network predicts body, contour and marker maps, which are then split into nuclei; default) or classical (Otsu threshold + distance-peak watershed, no network; options only a network uses are then an error). Not how nuclei are split (--policy, --markers) nor how image size is handled (--mode)" };
    readonly Option<string[]> models = new("--model")
    {
        Description = "checkpoint or ensemble description (.nens, from train --folds) to use; repeat for an ensemble (maps averaged per head). Default: the bundled models/default.nck or $NUCLEI_MODEL",
        Arity = ArgumentArity.ZeroOrMore,
    };
    readonly Option<string?> weights = new("--weights") { Description = "ensemble weights, one per --model, comma separated (e.g. 2,1; an ensemble description's members are scaled by its weight); default equal" };
    readonly Option<bool> tta = new("--tta") { Description = "test-time augmentation: average over the 8 flips/rotations (about 8x slower)" };
    readonly Option<string?> config = new("--config") { Description = "an INI file whose [param] threshold, threshold_edge, threshold_mark and [post] keys override the model's saved ones" };
    readonly Option<string?> precision = new("--precision") { Description = "number format of the network (--method model): fp32 (default), bf16 (about 3x faster per forward pass on CPUs with AMX, e.g. Intel Xeon 4th generation and later, slower on others; mean AP within 0.001 on the validation split), or auto (bf16 where the CPU has bfloat16 instructions)" };
    readonly Option<string?> runtime = new("--runtime") { Description = "what computes the network (--method model): torch (default: TorchSharp, on the CPU) or onnx (ONNX Runtime on the network exported in memory from the checkpoint, float32, on the CPU or a GPU: --device); normalisation, tiling, TTA and post-processing are the same code for both (on the samples the probability maps agree within 1e-5, the labels exactly)" };
    readonly Option<string?> device = new("--device") { Description = "where the network computes (--method model): auto (default: with --runtime onnx, the GPU through ONNX Runtime's CUDA provider when this is a GPU build and the machine has an NVIDIA GPU with CUDA 13 and cuDNN 9, else the CPU with one line saying why), cpu, or cuda (the GPU or an error; needs --runtime onnx)" };
    readonly Option<string?> mode = new("--mode") { Description = "how the network meets the IMAGE SIZE (--method model): auto (default: pad up to 1536x1536 pixels, tiles above), resize (to the training width and back), pad (whole image padded to the size multiple), or tile (overlapping --tile-size tiles)" };
    readonly Option<string?> border = new("--border") { Description = "border added by pad/tile modes: reflect (default), replicate, black or white" };
    readonly Option<int?> tileSize = new("--tile-size") { Description = "tile side in tile mode (default 512)" };
    readonly Option<int?> tileOverlap = new("--tile-overlap") { Description = "overlap of neighbouring tiles (default 64)" };
    readonly Option<bool> resume = new("--resume") { Description = "skip images whose outputs in --out are complete (from an earlier, possibly interrupted run; settings are not compared, but an image without the measurements or exports asked for is redone)" };
    readonly Option<bool> saveMaps = new("--save-maps") { Description = "also write each head's probability map as DIR/maps/<head>/<id>.png (8-bit), ready for `nuclei partition`" };
    readonly Option<string?> diameter = new("--diameter") { Description = "the nuclei's diameter in pixels: every image is rescaled by the model's training median over it (×0.25 to ×4; `nuclei models --model M` shows the median), as Cellpose's diameter; or auto: a first pass measures the nuclei, and images whose nuclei are outside the sizes the model segments as they are are rescaled to the median (a first pass with under 3 nuclei, nuclei under 4 px or covering under 10 % of the foreground keeps the image as it is, with a warning); labels come back at the original size, -v and --json give each image's diameter and scale factor" };
    readonly Option<string?> stain = new("--stain") { Description = "what the network is shown of each image (--method model): none (default: the image as it is), he or ihc (colour deconvolution, Ruifrok & Johnston 2001, with scikit-image's H&E-DAB matrix: the haematoxylin density as a grey image, nuclei bright on dark as in fluorescence, for stained brightfield slides), grey (the luminance: the stain's hue taken away, for colour images of a stain the model never saw), or auto (he for colour images on a bright background, ihc where brown DAB dominates at least 15 % of their stained pixels, none for the others); -v and --json (stain) give each image's. Which is best depends on the model: validation chooses" };
    readonly Option<string?> truth = new("--truth") { Description = "annotations of the same images (DSB-layout folder, folder of label maps or solution CSV): score each image, print the mean AP, and with --report add scores, errors and the worst images to the report" };
    readonly Option<int> threads = new("--threads") { Description = "libtorch threads, and ONNX Runtime's with --runtime onnx (0 = one per core); 1 is faster on a machine busy with other work", DefaultValueFactory = _ => 0 };
    readonly Option<bool> json = JsonSummary.Option();
    readonly Option<string?> list = new("--list") { Description = "also segment the images and folders listed in this file, one per line (relative to the file's folder; # comments)" };
    readonly Option<string?> shard = new("--shard") { Description = "K/N: segment only shard K of N (images sorted by id, dealt round-robin), for job arrays; merge the shards' --out folders with `nuclei merge`" };

    readonly PostProcessingCommandOptions post = new(key => "default from the model's configuration" + (ClassicalNotes.TryGetValue(key, out var note) ? note : ""));

    /// <summary>What the classical method does with the post-processing options that it takes or refuses.</summary>
    static readonly Dictionary<string, string> ClassicalNotes = new()
    {
        ["policy"] = " (classical: ws)",
        ["markers"] = " (--method model only)",
        ["min_object_size"] = " (classical: 20)",
    };

    readonly OutputCommandOptions outputs = new();
    readonly InputCommandOptions reading = new(folders: true, eachPlane: true);
    readonly BlockCommandOptions blocks = new();
    readonly ImageLimitCommandOptions limits = new();

    public void AddTo(Command command)
    {
        command.Arguments.Add(inputs);
        Option[] options = [outDir, csv, method, models, weights, tta, precision, runtime, device, config, .. post.Splitting, mode, border, tileSize, tileOverlap,
            .. post.Thresholds, post.ExcludeOnEdges, saveMaps, diameter, stain, truth, threads, resume, json, list, shard];
        foreach (var o in options) command.Options.Add(o);
        outputs.AddTo(command);
        reading.AddTo(command);
        blocks.AddTo(command);
        limits.AddTo(command);
    }

    /// <summary>
    /// Everything the command line said: the library's options built here, so a new option passed to the library is read
    /// in this one place; a bad value (output, plane, folder or a library option) is an input error naming the option.
    /// </summary>
    public SegmentCommand.SegmentSettings Read(ParseResult parse)
    {
        var (paths, overrides) = SplitOverrides(parse.GetValue(inputs) ?? Array.Empty<string>());
        var segmenter = new SegmenterOptions
        {
            Method = SegmenterOptionText.Method(parse.GetValue(method)),
            Models = parse.GetValue(models) ?? [],
            Weights = SegmenterOptionText.Weights(parse.GetValue(weights)),
            Tta = parse.GetValue(tta),
            Precision = SegmenterOptionText.Precision(parse.GetValue(precision)),
            Runtime = SegmenterOptionText.Runtime(parse.GetValue(runtime)),
            Device = SegmenterOptionText.Device(parse.GetValue(device)),
            Mode = SegmenterOptionText.Mode(parse.GetValue(mode)),
            Border = SegmenterOptionText.Border(parse.GetValue(border)),
            TileSize = parse.GetValue(tileSize),
            TileOverlap = parse.GetValue(tileOverlap),
            Diameter = Nuclei.Torch.Inference.Diameter.Parse(parse.GetValue(diameter)),
            Stain = SegmenterOptionText.Stain(parse.GetValue(stain)),
            Config = parse.GetValue(config),
            Overrides = overrides,
            ExcludeOnEdges = parse.GetValue(post.ExcludeOnEdges),
            Planes = reading.ReadPlanes(parse),
            PostProcessing = post.Read(parse),
        };
        return new SegmentCommand.SegmentSettings(
            Inputs: paths,
            OutDir: parse.GetValue(outDir)!,
            Segmenter: segmenter,
            Csv: parse.GetValue(csv),
            Threads: parse.GetValue(threads),
            SaveMaps: parse.GetValue(saveMaps),
            Outputs: outputs.Read(parse),
            Truth: parse.GetValue(truth),
            Resume: parse.GetValue(resume),
            Json: parse.GetValue(json),
            Folders: reading.ReadFolders(parse),
            List: parse.GetValue(list),
            Shard: parse.GetValue(shard),
            Blocks: blocks.Read(parse),
            Limits: limits.Read(parse));
    }

    /// <summary>section.key=value arguments (configuration overrides) apart from the inputs; an existing file of such a name stays an input.</summary>
    static (string[] Inputs, string[] Overrides) SplitOverrides(string[] arguments)
    {
        bool IsOverride(string a) => OverridePattern.IsMatch(a) && !File.Exists(a) && !Directory.Exists(a);
        return (arguments.Where(a => !IsOverride(a)).ToArray(), arguments.Where(IsOverride).ToArray());
    }

    static readonly System.Text.RegularExpressions.Regex OverridePattern = new(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?=");
}
