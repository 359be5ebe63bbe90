using static System.FormattableString;
using System.CommandLine;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The options of `nuclei partition`, declared once: added to the command in --help order, and read into
/// <see cref="PartitionCommand.PartitionRun"/>.
/// </summary>
public sealed class PartitionCommandOptions
{
    readonly Option<string> body = new("--body") { Description = "body (nucleus) probability map: a file, or a folder of maps matched by file name", Required = true };
    readonly Option<string?> contour = new("--contour") { Description = "contour probability map(s), same names as the body maps" };
    readonly Option<string?> marker = new("--marker") { Description = "marker (nucleus centre) probability map(s), same names as the body maps" };
    readonly Option<string?> image = new("--image") { Description = "original image(s), same names, to draw the overlays on and measure (default: the body map); multi-channel or z-stack images need --channel / --z" };
    readonly Option<string> output = new("--out") { Description = "output folder: <id>.labels.png label maps, <id>.overlay.png, summary.csv", Required = true };
    readonly Option<string?> policy;
    readonly Option<string?> markers;
    readonly Option<float?> tBody;
    readonly Option<float?> tContour;
    readonly Option<float?> tMarker;
    readonly Option<int?> minSize;
    readonly Option<string?> csv = new("--csv") { Description = "also write a Kaggle submission CSV (run-length encoded) to this file" };
    readonly Option<bool> removeBorder = new("--remove-border") { Description = "drop nuclei touching the image border" };
    readonly Option<bool> removeFiber = new("--remove-fiber") { Description = "drop a giant elongated object (a fibre of debris)" };
    readonly Option<bool> line = new("--watershed-line") { Description = "leave a one-pixel gap between touching nuclei (ws)" };
    readonly Option<bool> json = JsonSummary.Option();

    readonly OutputCommandOptions outputs = new();
    readonly InputCommandOptions reading = new(folders: false, eachPlane: false);

    public PartitionCommandOptions()
    {
        // unset options take config/default.ini's values, read as segment reads them
        var d = new PostProcessingSettings().OverDefaults();
        policy = new("--policy") { Description = $"[post] policy: how touching nuclei are split: ws (watershed) or rw (random walker); default {d.Policy.ShortName()}" };
        markers = new("--markers") { Description = $"[post] markers: seeds of the split: auto (marker map, else contour, else peaks), marker, contour, or peaks (distance-transform peaks of the body); default {d.MarkerSource.ShortName()}" };
        tBody = new("--threshold") { Description = Invariant($"[param] threshold: body pixels have a probability above this; default {d.ThresholdBody}") };
        tContour = new("--threshold-edge") { Description = Invariant($"[param] threshold_edge: contour pixels have a probability above this; default {d.ThresholdContour}") };
        tMarker = new("--threshold-mark") { Description = Invariant($"[param] threshold_mark: marker pixels have a probability above this; default {d.ThresholdMarker}") };
        minSize = new("--min-object-size") { Description = $"[post] min_object_size: drop nuclei with fewer pixels; default {d.MinSize}" };
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { body, contour, marker, image, output, policy, markers, tBody, tContour, tMarker, minSize, csv, removeBorder, removeFiber, line, json })
            command.Options.Add(o);
        outputs.AddTo(command);
        reading.AddTo(command);
    }

    /// <summary>--json: asked before <see cref="Read"/>, so the command can send its text to stderr before any input error.</summary>
    public bool ReadJson(ParseResult parse) => parse.GetValue(json);

    /// <summary>Everything the command line said; a bad post-processing, plane or output option is an input error.</summary>
    public PartitionCommand.PartitionRun Read(ParseResult parse)
    {
        var options = ReadPartitionOptions(parse);
        return new PartitionCommand.PartitionRun(parse.GetValue(body)!, parse.GetValue(contour), parse.GetValue(marker), parse.GetValue(image),
            parse.GetValue(output)!, parse.GetValue(csv), options, reading.ReadPlanes(parse), outputs.Read(parse), ReadJson(parse));
    }

    /// <summary>The options given over config/default.ini's, checked.</summary>
    PartitionOptions ReadPartitionOptions(ParseResult parse)
    {
        var settings = new PostProcessingSettings
        {
            Policy = PostProcessingSettings.ParsePolicy(parse.GetValue(policy)),
            Markers = PostProcessingSettings.ParseMarkers(parse.GetValue(markers)),
            Threshold = parse.GetValue(tBody),
            ThresholdEdge = parse.GetValue(tContour),
            ThresholdMark = parse.GetValue(tMarker),
            MinObjectSize = parse.GetValue(minSize),
        };
        var options = settings.OverDefaults() with
        {
            RemoveBorderObjects = parse.GetValue(removeBorder),
            RemoveFiber = parse.GetValue(removeFiber),
            WatershedLine = parse.GetValue(line),
        };
        try { options.Validate(); }
        catch (ArgumentException e) { throw new NucleiInputException(null, e.Message); }
        return options;
    }
}
