using System.CommandLine;
using Nuclei.Core.Data;
using Nuclei.Core.IO;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The options about how input images are found and read: the nuclear channel and the z planes of multi-channel
/// or multi-plane files (`--channel`, `--z`, and with per-plane outputs `--stitch-threshold`) and, for commands that take folders, `--recursive` and `--pattern`.
/// Shared so every command spells and reads them the same way.
/// </summary>
internal sealed class InputCommandOptions(bool folders, bool eachPlane)
{
    readonly Option<string?> channel = new("--channel") { Description = "the channel holding the nuclear stain: a number from 1, or a channel name from the file's OME metadata (e.g. DAPI); of an RGB image, 1 = red, 2 = green, 3 = blue. Needed for images with several channels or pages. A file whose channel taken is blank while another has signal is warned about" };
    readonly Option<string?> z = new("--z") { Description = eachPlane
        ? "z planes of a stack: max (maximum-intensity projection), mean, each (one output per plane, <id>_z<k>), or stitch (as each, then the planes' nuclei joined by overlap into 3D nuclei: <id>.stack.labels.tif, a Fiji z-stack, and <id>.stack.csv). Needed for images with several z planes"
        : "z planes of a stack: max (maximum-intensity projection) or mean. Needed for images with several z planes" };
    readonly Option<double?> stitchThreshold = new("--stitch-threshold") { Description = $"with --z stitch: the least overlap (IoU, 0-1) at which a nucleus of a plane takes the label of one in the plane before, as Cellpose's stitch_threshold (default {PlaneChoice.DefaultStitchThreshold})" };
    readonly Option<bool> recursive = new("--recursive") { Description = "also search the sub-folders of folder inputs; outputs mirror their relative paths (OUT/sub/dir/<id>.labels.png) and the image id is the relative path" };
    readonly Option<string[]> pattern = new("--pattern") { Description = "only images of folder inputs whose name matches this pattern (* and ?; with a / the path relative to the folder); repeatable, e.g. --pattern '*.tif'", Arity = ArgumentArity.ZeroOrMore };

    public void AddTo(Command command)
    {
        command.Options.Add(channel);
        command.Options.Add(z);
        if (eachPlane) command.Options.Add(stitchThreshold);
        if (!folders) return;
        command.Options.Add(recursive);
        command.Options.Add(pattern);
    }

    /// <summary>The channel and z planes asked for; a bad value is an input error.</summary>
    public PlaneChoice ReadPlanes(ParseResult parse) =>
        PlaneChoice.Parse(parse.GetValue(channel), parse.GetValue(z), allowEach: eachPlane, eachPlane ? parse.GetValue(stitchThreshold) : null);

    /// <summary>How folder inputs are searched.</summary>
    public FolderScan ReadFolders(ParseResult parse) =>
        folders ? new FolderScan(parse.GetValue(recursive), parse.GetValue(pattern) ?? []).Validated() : FolderScan.Default;
}
