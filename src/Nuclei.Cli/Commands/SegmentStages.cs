using System.Diagnostics;
using System.Globalization;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Big;
using Nuclei.Core;
using Nuclei.Core.Data;
using Nuclei.Core.Imaging;
using Nuclei.Core.IO;
using Nuclei.Core.Output;
using Nuclei.Core.Staining;
using Nuclei.Torch.Inference;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The stages of one image of `nuclei segment`, as <see cref="PipelinedBatch{TItem, TInput, TOutput}"/> runs them:
/// read (the image and its truth), segment (network or classical method), write (probability maps encoded, then every
/// output through the writer); and the block-wise run of an image too big to hold, which streams its own files.
/// The time an image took (shown in the report and the --json summary) is the sum of its own stages.
/// </summary>
sealed class SegmentStages(SegmentCommand.SegmentSettings settings, NucleiSegmenter segmenter, SegmentationOutputWriter writer,
    IReadOnlyDictionary<string, LabelEntry>? truth, BatchWarnings warnings, ImageOutcomes outcomes)
{
    /// <summary>Without --diameter, the images whose nuclei are of a size the model did not learn (null: nothing to check against).</summary>
    public NucleusSizeHints? SizeHints { get; } =
        settings.Library.Diameter is null && segmenter.Model?.ModelDiameters is { } learned ? new NucleusSizeHints(learned) : null;

    /// <summary>With a model, the images where it found no nuclei or implausibly few for its foreground (null: the classical method).</summary>
    public FewNucleiHints? FewNuclei { get; } = segmenter.Model is null ? null : new FewNucleiHints();

    /// <summary>With --diameter auto, the images whose first pass was not fit to measure nuclei by, segmented at their own scale.</summary>
    public ImageListWarning AutoDoubts { get; } = new("were segmented at their own scale by --diameter auto",
        "give their nucleus diameter with --diameter PX to rescale them");

    /// <summary>An image read, with its truth when --truth is given.</summary>
    public sealed record Loaded(FloatImage Image, LabelImage? Truth);

    /// <summary>An image segmented, waiting to be written.</summary>
    public sealed record Segmented(Loaded Input, SegmentationResult Result);

    BlockChoice Blocks => settings.Blocks ?? BlockChoice.Auto;

    /// <summary>Reads the image and its truth; null for an image that goes block-wise (<see cref="RunBlockWise"/>).</summary>
    public Loaded? Read(InputImage item)
    {
        item.ThrowIfUnreadable();
        writer.RequireNamesFit(item.Id, item.ImagePath); // before the work: the names are refused only when the files are renamed into place
        if (BlockSegmenting.Takes(Blocks, item)) return null;
        var image = MultiPlaneImage.Read(item, settings.Library.Planes ?? PlaneChoice.Default, warnings.Add);
        return new Loaded(image, truth is null ? null : TruthOf(item, image));
    }

    public Segmented Segment(InputImage item, Loaded input)
    {
        var result = segmenter.Segment(input.Image, item.ImagePath);
        SizeHints?.Check(item.Id, result.Labels);   // the id: the planes of one file (--z each) are images of their own
        FewNuclei?.Check(item.Id, result.Labels, result.Maps?.Get(HeadProbabilities.Semantic));
        if (result.Scale is { } scale) NoteScale(item.Id, scale, result.Labels, result.Stain);
        if (settings.Library.ExcludeOnEdges) Terminal.Messages.Detail($"{item.Id}: {result.RemovedOnEdges} nuclei touching the image border removed");
        return new(input, result);
    }

    /// <param name="took">the time the image's reading and segmenting took</param>
    public void Write(InputImage item, Segmented done, TimeSpan took)
    {
        var clock = Stopwatch.StartNew();
        var maps = settings.SaveMaps ? EncodeMaps(item.Id, done.Result.Maps!) : null;
        double seconds = (took + clock.Elapsed).TotalSeconds;   // up to the outputs: summary.csv's row and the outcome say the same
        var result = done.Result;
        var segmentation = new ImageSegmentation(result.Scale?.Diameter, result.Scale?.Factor, result.Stain?.Name(), OnEdges(result.RemovedOnEdges));
        var row = writer.Write(item.Id, done.Input.Image, result.Labels, maps, seconds, done.Input.Truth, segmentation);
        outcomes.Written(item.ImagePath, item.ImagePath, row, seconds, result.Scale, result.Stain, segmentation.RemovedOnEdges);
    }

    /// <summary>
    /// -v: the diameter taken for the image, the factor it was resized by and the stain it was taken for (with "(auto)" when
    /// --stain auto chose it); a doubt of --diameter auto goes to the warnings.
    /// </summary>
    void NoteScale(string id, ImageScale scale, LabelImage labels, Stain? stain)
    {
        if (scale.Doubt is { } doubt) AutoDoubts.Add(id, doubt);
        if (!Terminal.Messages.Verbose) return;   // the rest only builds the -v line (measuring the nuclei costs a pass)
        string diameter = scale.Diameter is double d
            ? string.Create(CultureInfo.InvariantCulture, $"nucleus diameter {d:0.#} px ({(segmenter.Model?.Diameter is { IsAuto: false } ? "given" : "estimated")})")
            : NucleusSize.MedianDiameter(labels) is double found
                ? string.Create(CultureInfo.InvariantCulture, $"nuclei found of {found:0.#} px median diameter")
                : "no nuclei found";
        string stained = stain is { } st ? $", stain {st.Name()}" + (segmenter.StainSetting == Stain.Auto ? " (auto)" : "") : "";
        Terminal.Messages.Detail(string.Create(CultureInfo.InvariantCulture, $"{id}: {diameter}, scaled x{scale.Factor:0.###}{stained}"));
    }

    /// <summary>Segments an image too big to hold block by block, its outputs streamed into the output folder.</summary>
    public void RunBlockWise(InputImage item)
    {
        bool autoDiameter = settings.Library.Diameter is { IsAuto: true };
        BlockSegmenting.CheckCompatible(item, truth is not null, settings.SaveMaps, autoDiameter,
            segmenter.Model is not null && segmenter.StainSetting != Stain.None ? segmenter.StainSetting : null);
        writer.BeginStreamed(item.Id);
        ImageScale? scale = null;   // the same for every block: --diameter auto is refused block-wise
        Stain? stain = null;        // none with a model: other stains are refused block-wise
        var run = BlockSegmenting.Run(item, writer.OutputDir, (window, range) =>
            {
                var result = segmenter.Segment(window, item.ImagePath, range);
                scale ??= result.Scale;
                stain ??= result.Stain;
                return result.Labels;
            },
            Blocks.Options, writer.Options, settings.Csv is not null, segmenter.NormalizationPercentiles, settings.Library.ExcludeOnEdges);
        FewNuclei?.Check(item.Id, run.Nuclei);
        outcomes.Written(item.ImagePath, item.ImagePath, writer.FinishStreamed(item.Id, run.Nuclei, run.AreaPx, run.Files), run.Elapsed.TotalSeconds, scale, stain,
            OnEdges(run.OnEdges));
    }

    /// <summary>The nuclei removed on the image border, for the image's outcome: null when --exclude-on-edges was not given.</summary>
    int? OnEdges(int removed) => settings.Library.ExcludeOnEdges ? removed : null;

    /// <summary>An image's annotation, which must exist and be of the image's size.</summary>
    LabelImage TruthOf(InputImage item, FloatImage image)
    {
        if (!truth!.TryGetValue(item.Id, out var entry))
            throw new NucleiInputException(item.ImagePath, $"no annotation for image '{item.Id}' in {settings.Truth}");
        var labels = entry.Load((image.Height, image.Width));
        if (labels.Height != image.Height || labels.Width != image.Width)
            throw new NucleiInputException(entry.Source, $"annotation is {labels.Height}x{labels.Width} but the image {item.ImagePath} is {image.Height}x{image.Width}");
        return labels;
    }

    /// <summary>Per-head maps as 8-bit PNGs, written with the image's other outputs.</summary>
    static IReadOnlyList<(string Name, byte[] Bytes)> EncodeMaps(string id, HeadProbabilities maps) =>
        maps.Heads.Select((head, k) => (SegmentCommand.MapName(head, id), ImageIO.EncodeImage8(maps.Maps[k], ".png"))).ToList();
}
