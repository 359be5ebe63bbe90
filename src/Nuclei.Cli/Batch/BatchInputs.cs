using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.IO;

namespace Nuclei.Cli.Batch;

/// <summary>
/// The images of one run of a batch command: those of the INPUT arguments and of <c>--list FILE</c>, and with
/// <c>--shard K/N</c> only this shard's part of them (see <see cref="Shard"/>).
/// </summary>
internal static class BatchInputs
{
    /// <exception cref="NucleiInputException">no input at all, a bad list file or shard, or a bad input path.</exception>
    public static IReadOnlyList<InputImage> Collect(IReadOnlyList<string> inputs, string? listFile, string? shardText, FolderScan? scan = null)
    {
        var shard = shardText is null ? null : Shard.Parse(shardText); // a bad --shard fails before any folder is scanned
        var paths = listFile is null ? inputs : inputs.Concat(InputListFile.Read(listFile)).ToList();
        if (paths.Count == 0) throw new NucleiInputException(null, "no input: give image files or folders, or --list FILE");
        var all = InputCollector.Collect(paths, scan);
        if (shard is null) return all;
        var mine = shard.Select(all);
        Console.Error.WriteLine($"--shard {shard}: {mine.Count} of {all.Count} image(s)");
        return mine;
    }

    /// <summary>
    /// The images with each stack's planes as images of their own under <c>--z each</c> (see <see cref="MultiPlaneImage.Expand"/>);
    /// an image that carries a <see cref="InputImage.Problem"/> is not looked into (it may be a FIFO, whose header read would hang).
    /// </summary>
    public static IReadOnlyList<InputImage> ExpandPlanes(IReadOnlyList<InputImage> images, PlaneChoice planes) =>
        images.SelectMany(i => i.Problem is null ? MultiPlaneImage.Expand([i], planes) : [i]).ToList();
}
