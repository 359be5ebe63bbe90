using Nuclei.Cli.Batch;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
using Nuclei.Core.Stacks;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The last step of `segment --z stitch`: once every plane of a stack is written, its planes' label maps are read back
/// from the output folder (so a --resume run stitches planes segmented by an earlier one), their nuclei joined across
/// planes (<see cref="PlaneStitching"/>), and the stack written as <c>&lt;id&gt;.stack.labels.tif</c> (a Fiji z-stack)
/// with its 3D measurements <c>&lt;id&gt;.stack.csv</c>. A stack with a failed plane is not stitched: half a stack would
/// cut its nuclei in two.
/// </summary>
static class StackStitching
{
    /// <summary>The paths the stacks' outputs take, for the check that no input is among them.</summary>
    public static IEnumerable<string> Outputs(IEnumerable<PlaneStack> stacks, string outputDir) =>
        stacks.SelectMany(s => new[] { LabelsPath(outputDir, s.Id), CsvPath(outputDir, s.Id) });

    /// <param name="failures">the batch's failures so far, named by image path: a stack with a failed plane is left out</param>
    /// <returns>a failure (of the run's own outputs: the planes themselves are items) for each stack not written</returns>
    public static IReadOnlyList<BatchFailure> Run(IReadOnlyList<PlaneStack> stacks, IReadOnlyList<BatchFailure> failures,
        SegmentationOutputWriter writer, double threshold)
    {
        var failed = failures.Select(f => f.Item).ToHashSet(StringComparer.Ordinal);
        var problems = new List<BatchFailure>();
        foreach (var stack in stacks)
        {
            try
            {
                if (failed.Contains(stack.ImagePath))
                    throw new NucleiInputException(stack.ImagePath, $"not stitched into {stack.Id}{LabelStackTiff.Extension}: some of its planes failed");
                Stitch(stack, writer, threshold);
            }
            catch (Exception e) when (e is NucleiInputException or IOException or UnauthorizedAccessException)
            {
                problems.Add(new BatchFailure(stack.ImagePath, BatchRunner.Describe(e), OfRun: true));
            }
        }
        return problems;
    }

    static void Stitch(PlaneStack stack, SegmentationOutputWriter writer, double threshold)
    {
        string dir = writer.OutputDir;
        var planes = PlaneStitching.Stitch(stack.PlaneIds.Select(id => ReadPlane(dir, id)).ToList(), threshold);
        var nuclei = StackMeasurer.Measure(planes);
        LabelStackTiff.Write(LabelsPath(dir, stack.Id), planes, writer.Options.PixelSizeUm);
        StackMeasurementsCsv.Write(CsvPath(dir, stack.Id), stack.Id, nuclei);
        Messages.Info($"{stack.Id}: {nuclei.Count} nuclei in 3D across {planes.Count} planes → {stack.Id}{LabelStackTiff.Extension}, {stack.Id}{StackMeasurementsCsv.Extension}");
    }

    /// <summary>A plane's label map as the writer wrote it: the PNG, or the TIFF that replaces it over 65,535 nuclei.</summary>
    static LabelImage ReadPlane(string dir, string id)
    {
        string png = Path.Combine(dir, OutputLayout.LabelsFileName(id));
        return ImageIO.ReadLabels(File.Exists(png) ? png : Path.Combine(dir, OutputLayout.LabelsFileName(id, ".tif")));
    }

    static string LabelsPath(string dir, string id) => Path.Combine(dir, id + LabelStackTiff.Extension);

    static string CsvPath(string dir, string id) => Path.Combine(dir, id + StackMeasurementsCsv.Extension);
}
