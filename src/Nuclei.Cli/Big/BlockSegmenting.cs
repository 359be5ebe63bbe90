using Nuclei.Core;
using Nuclei.Core.Big;
using Nuclei.Core.Data;
using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
using Nuclei.Core.Staining;

namespace Nuclei.Cli.Big;

/// <summary>The block-wise branch of `segment`: which images take it, what it refuses, and the line it prints per image.</summary>
internal static class BlockSegmenting
{
    /// <summary>Whether <paramref name="item"/> is segmented block-wise.</summary>
    public static bool Takes(BlockChoice choice, InputImage item) => choice.Force ?? BlockSegmentation.IsBig(item.ImagePath);

    /// <summary>Options of `segment` that need the whole image or its maps in memory: an error when an image goes block-wise.</summary>
    public static void CheckCompatible(InputImage item, bool truth, bool saveMaps, bool autoDiameter, Stain? stain = null)
    {
        string? problem = truth ? "--truth" : saveMaps ? "--save-maps" : autoDiameter ? "--diameter auto"
            : stain is { } st ? $"--stain {st.Name()}" : null;
        if (problem is not null)
            throw new NucleiInputException(item.ImagePath, $"{problem} is not available for block-wise segmentation (the image is segmented block by block; use --no-blocks for a whole-image run)");
    }

    /// <summary>Segments one image block-wise into <paramref name="outDir"/>, progress on stderr.</summary>
    /// <param name="excludeOnEdges">--exclude-on-edges: nuclei touching the image's border are left out (the blocks' seams are no border)</param>
    public static BlockRun Run(InputImage item, string outDir, Func<FloatImage, WholeImage, LabelImage> segment, BlockOptions options,
        OutputOptions outputs, bool runLength, PercentileStretch? percentiles, bool excludeOnEdges = false)
    {
        var streamed = new StreamedOutputs(outputs.Measure, outputs.Exports.HasFlag(ExportFormat.GeoJson), runLength, outputs.PixelSizeUm);
        var run = BlockSegmentation.Run(item.ImagePath, item.Id, outDir, segment, options, streamed, Console.Error, percentiles, excludeOnEdges);
        Console.Error.WriteLine($"{item.Id}: {run.Width}x{run.Height} in {run.Blocks} blocks, {run.Nuclei} nuclei" +
                                (excludeOnEdges ? $" ({run.OnEdges} touching the image border left out)" : "") +
                                $", {BlockProgress.Format(run.Elapsed)} → {string.Join(", ", run.Files.Select(Path.GetFileName))}");
        if (run.CutByContext > 0)
            Console.Error.WriteLine($"warning: {item.ImagePath}: {run.CutByContext} nuclei touch the edge of their block's context and may be cut; raise --block-context (now {options.Context})");
        return run;
    }
}
