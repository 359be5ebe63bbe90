using System.CommandLine;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The options of `nuclei partition`, declared once: added to the command in --help order, and read into
/// <see cref="PartitionCommand.PartitionRun"/>.
/// </summary>
internal sealed class PartitionCommandOptions
{
    readonly Option<string> body = new("--body") { Description = "body (nucleus) probability map: a file, or a folder of maps matched by file name", Required = true };
    readonly Option<string?> contour = new("--contour") { Description = "contour probability map(s), same names as the body maps" };
    readonly Option<string?> marker = new("--marker") { Description = "marker (nucleus centre) probability map(s), same names as the body maps" };
    readonly Option<string?> image = new("--image") { Description = "original image(s), same names, to draw the overlays on and measure (default: the body map); multi-channel or z-stack images need --channel / --z" };
    readonly Option<string> output = new("--out") { Description = "output folder: <id>.labels.png label maps, <id>.overlay.png, summary.csv", Required = true };
    readonly Option<string?> csv = new("--csv") { Description = "also write a Kaggle submission CSV (run-length encoded) to this file" };
    readonly Option<bool> removeFiber = new("--remove-fiber") { Description = "drop a giant elongated object (a fibre of debris)" };
    readonly Option<bool> line = new("--watershed-line") { Description = "leave a one-pixel gap between touching nuclei (ws)" };
    readonly Option<bool> json = JsonSummary.Option();

    readonly OutputCommandOptions outputs = new();
    readonly InputCommandOptions reading = new(folders: false, eachPlane: false);

    // unset options take config/default.ini's values, read as segment reads them
    readonly PostProcessingCommandOptions post = new(DefaultOf);

    static readonly PartitionOptions Defaults = new PostProcessingSettings().OverDefaults();

    static string DefaultOf(string key) => "default " + PartitionOptions.Keys.Single(k => k.Key == key).Show(Defaults);

    public void AddTo(Command command)
    {
        Option[] options = [body, contour, marker, image, output, .. post.Splitting, .. post.Thresholds, csv, post.ExcludeOnEdges, removeFiber, line, json];
        foreach (var o in options) command.Options.Add(o);
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
        var options = post.Read(parse).OverDefaults() with
        {
            RemoveBorderObjects = parse.GetValue(post.ExcludeOnEdges),
            RemoveFiber = parse.GetValue(removeFiber),
            WatershedLine = parse.GetValue(line),
        };
        try { options.Validate(); }
        catch (ArgumentException e) { throw new NucleiInputException(null, e.Message); }
        return options;
    }
}
