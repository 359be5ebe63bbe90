using System.CommandLine;
using Nuclei.Core;
using Nuclei.Core.Big;

namespace Nuclei.Cli.Big;

/// <summary>When `segment` goes block-wise, and with which blocks: parsed from the command line.</summary>
/// <param name="Force">true: every image block-wise; false: none; null: images over <see cref="BlockOptions.AutoAbovePixels"/></param>
internal sealed record BlockChoice(bool? Force, BlockOptions Options)
{
    public static readonly BlockChoice Auto = new(null, new BlockOptions());
}

/// <summary>The options of block-wise segmentation on `segment`.</summary>
internal sealed class BlockCommandOptions
{
    readonly Option<bool> blocks = new("--blocks") { Description = FormattableString.Invariant($"segment block by block from disk in bounded memory (done anyway above 4096² = {BlockOptions.AutoAbovePixels / 1e6:0.0} megapixels): writes a tiled BigTIFF <id>.labels.tif and streams <id>.measurements.csv, <id>.geojson, <id>.rle.csv") };
    readonly Option<bool> noBlocks = new("--no-blocks") { Description = "never segment block-wise, however large the image" };
    readonly Option<int> blockSize = new("--block-size") { Description = "side of a block in pixels (block-wise segmentation)", DefaultValueFactory = _ => BlockOptions.DefaultBlockSize };
    readonly Option<int> blockContext = new("--block-context") { Description = "pixels of context segmented around each block; more than the largest nucleus' diameter", DefaultValueFactory = _ => BlockOptions.DefaultContext };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { blocks, noBlocks, blockSize, blockContext }) command.Options.Add(o);
    }

    public BlockChoice Read(ParseResult parse)
    {
        bool on = parse.GetValue(blocks), off = parse.GetValue(noBlocks);
        if (on && off) throw new NucleiInputException(null, "--blocks and --no-blocks contradict each other");
        var options = new BlockOptions(parse.GetValue(blockSize), parse.GetValue(blockContext));
        options.Validate();
        return new BlockChoice(on ? true : off ? false : null, options);
    }
}
