using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Measurements;
using Nuclei.Core.Memory;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Core.Big;

/// <summary>What block-wise segmentation of one image did.</summary>
/// <param name="CutByContext">kept nuclei touching their window's inner edge: the context is smaller than they are (see <see cref="CentreAssignment"/>)</param>
/// <param name="OnEdges">nuclei left out because they touch the image's border (asked for with <c>excludeOnEdges</c>)</param>
internal sealed record BlockRun(string Id, int Height, int Width, int Blocks, int Nuclei, long AreaPx, int CutByContext, IReadOnlyList<string> Files, TimeSpan Elapsed,
    int OnEdges = 0);

/// <summary>
/// Segments an image larger than memory block by block: each block's window (core + context) is read from disk
/// (<see cref="SlideReader"/>), segmented by the same function that segments whole images, its nuclei kept by centre
/// (<see cref="CentreAssignment"/>) and numbered globally in block order, painted into the stitching band
/// (<see cref="LabelCanvas"/>) which streams finished rows into the tiled BigTIFF <c>&lt;id&gt;.labels.tif</c>, and
/// measured/outlined/run-length encoded as they are kept (<see cref="NucleusStreams"/>). Neither the image nor its
/// label image is ever held whole. All files appear together at the end, or none.
/// </summary>
internal static class BlockSegmentation
{
    /// <summary>
    /// True when the file's one plane has more than <see cref="BlockOptions.AutoAbovePixels"/> pixels, by its
    /// headers (<see cref="SlideReader.SizeOf"/>); a multi-page TIFF is read plane by plane, whole.
    /// </summary>
    /// <exception cref="NucleiInputException">the headers are over the limits, malformed or truncated</exception>
    public static bool IsBig(string path) => SlideReader.SizeOf(path) is { } s && s.Height * s.Width > BlockOptions.AutoAbovePixels;

    /// <param name="segment">a window's pixels and the whole slide (its size, and its intensity range when <paramref name="percentiles"/> asks for it) → the window's labels (0 background, any positive values)</param>
    /// <param name="percentiles">the low and high percentiles a per-image normalisation stretches to 0 and 1: measured once over the whole slide; null when the segmenter does not normalise by them</param>
    /// <param name="progress">gets one line per block</param>
    /// <param name="excludeOnEdges">leave out the nuclei touching the image's border (<see cref="BorderObjects"/>); a block's
    /// own edges inside the image are seams, not borders, so <paramref name="segment"/> must not remove nuclei there</param>
    public static BlockRun Run(string imagePath, string id, string outDir, Func<FloatImage, WholeImage, LabelImage> segment,
        BlockOptions options, StreamedOutputs outputs, TextWriter progress, PercentileStretch? percentiles = null,
        bool excludeOnEdges = false)
    {
        options.Validate();
        using var reader = new SlideReader(imagePath);
        int height = reader.Height, width = reader.Width;
        var slide = new WholeImage(height, width, percentiles is { } p ? SlidePercentiles.Of(reader, p.Low, p.High, p.OfLuminance) : null);
        var plan = BlockPlan.Of(height, width, options.BlockSize, options.Context);
        using var staged = new StagedFiles();
        string labelsPath = Path.Combine(outDir, id + LabelTiff.Extension);
        using var tiff = new TiledLabelTiff(staged.Reserve(labelsPath), height, width, outputs.PixelSizeUm);
        using var streams = new NucleusStreams(staged, outDir, id, outputs, height, width, reader.Channels);
        // rows from the first unwritten one (a block row's top context) to the next block row's bottom context
        var canvas = new LabelCanvas(height, width, options.BlockSize + 2 * options.Context, tiff.WriteRows);
        var clock = new BlockProgress(id, plan.Count, progress);
        int next = 1, cut = 0, done = 0, onEdges = 0;
        long area = 0;
        foreach (var row in plan.Rows)
        {
            foreach (var block in row)
            {
                var window = reader.Read(block.Window);
                var labels = segment(window, slide with { PartTop = block.Window.Y, PartLeft = block.Window.X });
                foreach (var nucleus in CentreAssignment.Keep(labels, block, height, width))
                {
                    // tested on the nucleus the block keeps, so each is counted once however many windows see it
                    if (excludeOnEdges && OnImageBorder(nucleus.Region, block.Window, height, width)) { onEdges++; continue; }
                    int[] painted = canvas.Paint(next, nucleus.Region.Pixels, block.Window);
                    if (painted.Length == 0) continue; // wholly inside a nucleus an earlier block kept
                    streams.Add(next, painted, block.Window, window);
                    area += painted.Length;
                    if (nucleus.CutByWindow) cut++;
                    next++;
                }
                clock.Done(block, ++done, next - 1);
                ReleaseBlockGarbage();
            }
            // the next block row's windows begin `Context` rows above its core: nothing can be painted above that
            var core = row[0].Core;
            canvas.WriteRowsAbove(core.Bottom >= height ? height : core.Bottom - options.Context);
        }
        tiff.Finish();
        streams.Finish(anyNuclei: next > 1);
        staged.Commit();
        var files = new List<string> { labelsPath };
        if (outputs.Measure) files.Add(Path.Combine(outDir, id + StreamedOutputs.MeasurementsSuffix));
        if (outputs.GeoJson) files.Add(Path.Combine(outDir, id + QuPathGeoJson.Extension));
        if (outputs.RunLength) files.Add(Path.Combine(outDir, id + StreamedOutputs.RunLengthSuffix));
        return new BlockRun(id, height, width, plan.Count, next - 1, area, cut, files, clock.Elapsed, onEdges);
    }

    /// <summary>Whether a nucleus of <paramref name="window"/> touches the border of the whole image (not the window's).</summary>
    static bool OnImageBorder(LabelRegion r, PixelRect window, int height, int width) =>
        BorderObjects.Touches(height, width, window.Y + r.MinY, window.X + r.MinX, window.Y + r.MaxY, window.X + r.MaxX);

    /// <summary>
    /// A block leaves a few hundred MB of large arrays behind (its window, maps, partition buffers). Left to its own
    /// pace the GC lets several blocks' worth pile up before a full collection (peak RSS 1.6 GB at 8192², 2.5 GB at
    /// 32768²: the more blocks, the higher the chance of a late collection), so peak memory would depend on timing
    /// instead of on the block size. A full collection per block costs little next to segmenting the block. The C heap
    /// likewise: the tiles cut at the windows' edges come in many sizes, whose freed tensors leave holes that grew peak
    /// RSS with the number of blocks (8192² 1343 MB, 16384² 1623 MB) until returned after each block.
    /// </summary>
    static void ReleaseBlockGarbage()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        NativeHeap.ReturnFreedMemory();
    }
}
