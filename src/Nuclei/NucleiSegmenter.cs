using Nuclei.Core.Data;
using Nuclei.Core.IO;
using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Imaging;
using Nuclei.Core.Output;
using Nuclei.Core.PostProcessing;
using Nuclei.Core.Staining;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;
using Nuclei.Core.Settings;

namespace Nuclei;

/// <summary>
/// Finds every nucleus in images: the one entry point of the CLI and of other front ends.
/// <code>
/// using var segmenter = NucleiSegmenter.Load(new SegmenterOptions());   // the bundled model
/// SegmentationResult r = segmenter.Segment("image.png");
/// Console.WriteLine(r.Count);
/// </code>
/// One instance segments one image at a time (the network itself uses every core).
/// </summary>
public sealed class NucleiSegmenter : IDisposable
{
    // the user's settings, and those under them (the model's saved ones over config/default.ini's), kept typed so that
    // a call's own settings go over them without reading any text again
    private readonly PostProcessingLayer _user;
    private readonly PostProcessingLayer _below;
    private readonly ClassicalOptions? _classical;

    private NucleiSegmenter(SegmenterOptions options, PostProcessingLayer user,
        ModelSegmenter? model, PostProcessingLayer below, ClassicalOptions? classical)
    {
        Options = options; _user = user; Model = model; _below = below; _classical = classical;
    }

    /// <summary>Loads the model(s) and settles every setting; throws <see cref="NucleiInputException"/> naming a bad file or option.</summary>
    public static NucleiSegmenter Load(SegmenterOptions? options = null)
    {
        var o = options ?? new SegmenterOptions();
        if (o.Method == SegmentationMethod.Classical)
        {
            RefuseNetworkOptions(o);
            var user = SettingsLayers.Read(o);
            return new NucleiSegmenter(o, user, null, PostProcessingText.Defaults, ClassicalOptionsOf(user));
        }
        var layer = SettingsLayers.Read(o);
        var (model, below) = ModelSegmenters.Create(o, layer);
        return new NucleiSegmenter(o, layer, model, below, null);
    }

    /// <summary>The options it was loaded with.</summary>
    public SegmenterOptions Options { get; }

    /// <summary>The network and its settled post-processing (null for the classical method).</summary>
    internal ModelSegmenter? Model { get; }

    /// <summary>
    /// The low and high intensity percentiles the model(s) stretch each image by, or null when they normalise
    /// otherwise: a block of a larger image is segmented with the whole image's values at these percentiles, measured
    /// once, so the members of an ensemble must agree on them (an error names them when they do not).
    /// </summary>
    public PercentileStretch? NormalizationPercentiles
    {
        get
        {
            var members = (Model?.Predictor.Models ?? []).Where(m => m.Normalization is { PerImagePercentile: true }).ToList();
            var distinct = members.Select(m => new PercentileStretch(m.Normalization!.PercentileLow, m.Normalization.PercentileHigh, m.Normalization.Grey)).Distinct().ToList();
            if (distinct.Count > 1)
            {
                string each = string.Join(", ", members.Select(m => FormattableString.Invariant($"{Path.GetFileName(m.Source)}: {m.Normalization!.PercentileLow}-{m.Normalization.PercentileHigh}{(m.Normalization.Grey ? " of the luminance" : "")}")));
                throw new NucleiInputException(null, $"the ensemble's models normalise by different percentiles ({each}); block-wise segmentation measures one intensity range for the whole image, so use models that agree or {Setting.NoBlocks}");
            }
            return distinct.Count == 1 ? distinct[0] : null;
        }
    }

    /// <summary>
    /// When the options asked for a GPU by default (device auto, runtime onnx) and the networks compute on the CPU: one
    /// line saying why, "onnx: CUDA provider unavailable (REASON); using CPU", for the caller to show once. Null otherwise.
    /// </summary>
    public string? DeviceFallback => Model?.Predictor.Models.Select(m => m.DeviceFallback).FirstOrDefault(n => n is not null);

    /// <summary>One line saying what segments: the model file(s), size mode, diameter, stain, TTA, bfloat16, runtime and device, split policy and whether nuclei on the border are excluded.</summary>
    public string Description
    {
        get
        {
            string edges = Options.ExcludeOnEdges ? ", nuclei on the image border excluded" : "";
            if (_classical is not null) return $"classical ({_classical.Policy.ShortName()}){edges}";
            var p = Model!.Predictor;
            return $"{string.Join(" + ", p.Models.Select(m => Path.GetFileName(m.Source)))}, mode {p.Options.Mode.ToString().ToLowerInvariant()}" +
                   (Model.Diameter is { } d ? $", diameter {d}" : "") +
                   (StainSetting != Stain.None ? $", stain {StainSetting.Name()}" : "") +
                   (Options.Tta ? $", tta x{p.Options.Transforms!.Count}" : "") +
                   (p.Models[0].Precision == ComputePrecision.Bf16 ? ", bf16" : "") +
                   (p.Models[0].Runtime != NetworkRuntimes.Default ? $", {NetworkRuntimes.NameOf(p.Models[0].Runtime)} on {InferenceDevices.NameOf(p.Models[0].Device)}" : "") +
                   $", {Model.Partition.Policy.ShortName()}{edges}";
        }
    }

    /// <summary>Segments an image file.</summary>
    /// <param name="path">an image file (PNG, TIFF, JPEG, BMP)</param>
    /// <param name="warn">receives warnings about the image (e.g. non-finite samples replaced); null: ignored</param>
    /// <exception cref="NucleiInputException">the file cannot be read, or <see cref="SegmenterOptions.Planes"/> does not fit it
    /// (a file of several channels without a channel chosen: the message lists them)</exception>
#pragma warning disable RS0027 // Segment(path, warn = null) and Segment(image, call) have as many parameters: their types tell them apart
    public SegmentationResult Segment(string path, Action<string>? warn = null)
    {
        var planes = Options.Planes ?? PlaneChoice.Default;
        if (planes.PerPlane)
            throw new ArgumentException("z each or stitch makes one image per plane: segment a projection (max, mean) here, or each plane's image", nameof(path));
        var image = MultiPlaneImage.Read(new InputImage(Path.GetFileNameWithoutExtension(path), path), planes, warn);
        return Segment(image, path);
    }

    /// <summary>Segments an image already in memory (<paramref name="source"/> names it in errors).</summary>
    /// <param name="image">the image, its samples scaled to 0..1 (as <see cref="SegmentationResult.Image"/> holds it)</param>
    /// <param name="source">names the image in errors</param>
    /// <param name="wholeImage">when <paramref name="image"/> is a block of a larger image: that image, its size and its intensity range at <see cref="NormalizationPercentiles"/></param>
    /// <param name="progress">stops the network at its next forward pass when cancelled, and hears the fraction done (the classical method only checks it before starting)</param>
    public SegmentationResult Segment(FloatImage image, string? source = null, WholeImage? wholeImage = null, InferenceProgress? progress = null) =>
        Segment(image, new SegmentCall { Source = source, WholeImage = wholeImage, Progress = progress });

    /// <summary>Segments an image already in memory with settings of its own (<see cref="SegmentCall"/>) over the segmenter's.</summary>
    /// <param name="image">the image, its samples scaled to 0..1 (as <see cref="SegmentationResult.Image"/> holds it)</param>
    /// <param name="call">this image's own settings, source name, progress and cancellation</param>
    /// <exception cref="NucleiInputException">a setting of <paramref name="call"/> is out of range, or needs a network (the classical method)</exception>
    public SegmentationResult Segment(FloatImage image, SegmentCall call)
#pragma warning restore RS0027
    {
        call.Progress?.ThrowIfCancelled();
        if (_classical is not null)
        {
            RefuseForClassical(call);
            var found = ClassicalSegmenter.Segment(image, _classical);
            return new SegmentationResult(image, found, null, call.Source, removedOnEdges: ExcludeOnEdges(found, call.WholeImage));
        }
        var stain = Stains.Resolve(StainSetting, image);
        if (stain != Stain.None && call.WholeImage is not null)
            throw new NucleiInputException(call.Source, $"{Setting.Stain} {StainSetting.Name()} is not available for block-wise segmentation (its whole-image intensity range is the image's, not the stain's); use {Setting.NoBlocks} or {Setting.Stain} none");
        var shown = Stains.Prepare(stain, image, call.Source);
        var labels = ModelFor(call).Segment(shown, call.Source, out var maps, out var scale, call.WholeImage, call.Progress);
        return new SegmentationResult(image, labels, maps, call.Source, scale, stain, ExcludeOnEdges(labels, call.WholeImage));
    }

    /// <summary>
    /// The network's probability maps of an image, at its size, without post-processing: the expensive half of
    /// <see cref="Segment(FloatImage, SegmentCall)"/>, for a caller that tries several post-processing settings on them
    /// (<see cref="PostProcess(HeadProbabilities, PostProcessingSettings)"/>). <see cref="SegmentCall.PostProcessing"/>
    /// matters only with <c>--diameter auto</c>, whose scale comes from the nuclei found.
    /// </summary>
    /// <exception cref="InvalidOperationException">the classical method, which makes no maps</exception>
    public HeadProbabilities Predict(FloatImage image, SegmentCall? call = null)
    {
        call ??= new SegmentCall();
        if (_classical is not null) throw new InvalidOperationException("probability maps come from a network; this segmenter uses the classical method");
        call.Progress?.ThrowIfCancelled();
        var shown = Stains.Prepare(Stains.Resolve(StainSetting, image), image, call.Source);
        return ModelFor(call).PredictMaps(shown, call.Source, call.Progress);
    }

    /// <summary>The loaded network with <paramref name="call"/>'s diameter and post-processing; it shares (and must not dispose) the predictor.</summary>
    ModelSegmenter ModelFor(SegmentCall call)
    {
        var model = Model!;
        if (call.Diameter is null && call.PostProcessing is null) return model;
        return new ModelSegmenter(model.Predictor, call.PostProcessing is { } changes ? PartitionUnder(changes) : model.Partition)
        {
            Diameter = call.Diameter ?? model.Diameter,
            ModelDiameters = model.ModelDiameters,
        };
    }

    /// <summary><paramref name="changes"/> over the layers Load settled (the user's, the model's, config/default.ini's).</summary>
    PartitionOptions PartitionUnder(PostProcessingSettings changes) => changes.AsLayer().Over(_user).Over(_below).ToPartitionOptions();

    static void RefuseForClassical(SegmentCall call)
    {
        if (call.Diameter is not null) throw new NucleiInputException(call.Source, $"{Setting.Diameter} needs a network; the classical method segments at the image's scale");
        if (call.PostProcessing is not null) throw new NucleiInputException(call.Source, "post-processing settings per image need a network; the classical method takes its settings when loaded");
    }

    /// <summary>
    /// With <see cref="SegmenterOptions.ExcludeOnEdges"/>, removes the nuclei touching the border of a whole image, at its
    /// own size (after any rescaling), so the rule is the same whatever the diameter; returns how many. A block's edges
    /// are seams of a larger image: the block-wise caller removes only those on that image's border.
    /// </summary>
    int ExcludeOnEdges(LabelImage labels, WholeImage? wholeImage) =>
        Options.ExcludeOnEdges && wholeImage is null ? BorderObjects.RemoveAndRenumber(labels) : 0;

    /// <summary>The stain setting in effect (<see cref="SegmenterOptions.Stain"/> or <see cref="Stains.Default"/>); the classical method ignores it.</summary>
    public Stain StainSetting => Options.Stain ?? Stains.Default;

    /// <summary>
    /// Segments image files one after the other, lazily; a file that fails is returned with its error and the batch goes
    /// on. <paramref name="progress"/> hears after each image; <paramref name="cancellation"/> stops before the next one.
    /// </summary>
    public IEnumerable<ImageOutcome> SegmentMany(IEnumerable<string> paths, IProgress<SegmentationProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var list = paths.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            ImageOutcome outcome;
            try { outcome = new ImageOutcome(list[i], Segment(list[i]), null); }
            catch (Exception e) when (e is NucleiInputException or IOException or UnauthorizedAccessException)
            {
                outcome = new ImageOutcome(list[i], null, e);
            }
            progress?.Report(new SegmentationProgress(i + 1, list.Count, list[i]));
            yield return outcome;
        }
    }

    /// <summary>
    /// Post-processes <paramref name="previous"/>'s probability maps again with <paramref name="changes"/> over this
    /// segmenter's settings, without running the network: cheap, for trying thresholds. With a <see cref="SegmenterOptions.Diameter"/>
    /// the maps were brought back to the image's size, so the labels can differ slightly from a rescaled Segment.
    /// </summary>
    public SegmentationResult PostProcess(SegmentationResult previous, PostProcessingSettings changes)
    {
        if (previous.Maps is not { } maps)
            throw new InvalidOperationException("post-processing again needs probability maps, which only the model method makes");
        var (labels, removed) = Partitioned(maps, changes);
        return new SegmentationResult(previous.Image, labels, maps, previous.Source, previous.Scale, previous.Stain, removed);
    }

    /// <summary>
    /// Nuclei from probability maps at the image's size (<see cref="Predict"/>, or <see cref="SegmentationResult.Maps"/>)
    /// under <paramref name="changes"/> over this segmenter's post-processing, without running the network; nuclei on the
    /// image's border are dropped as <see cref="SegmenterOptions.ExcludeOnEdges"/> says.
    /// </summary>
    /// <exception cref="NucleiInputException">a setting of <paramref name="changes"/> is out of range</exception>
    public LabelImage PostProcess(HeadProbabilities maps, PostProcessingSettings changes) => Partitioned(maps, changes).Labels;

    (LabelImage Labels, int RemovedOnEdges) Partitioned(HeadProbabilities maps, PostProcessingSettings changes)
    {
        if (Model is null) throw new InvalidOperationException("post-processing maps needs the model method; the classical method makes no maps");
        var labels = Partition.Run(maps.Get(HeadProbabilities.Semantic)!, maps.Get(HeadProbabilities.Contour), maps.Get(HeadProbabilities.Marker), PartitionUnder(changes));
        return (labels, ExcludeOnEdges(labels, null));
    }

    /// <summary>Every setting in effect, settled as segmenting uses them (what a record of the run says: <see cref="RunRecord"/>).</summary>
    public RunSettings Settings => RunFacts.SettingsOf(this, _classical);

    /// <summary>
    /// Which layer gave each of <see cref="Settings"/> its value, by the name run.json gives the setting: config/default.ini
    /// (or an option's own default), the model's saved configuration, the --config file or the command line (the options).
    /// </summary>
    internal IReadOnlyDictionary<string, SettingSource> SettingSources => RunSettingSources.Of(this, _user.Over(_below), _classical);

    /// <summary>
    /// The model files that segment (an ensemble description's members), each with its SHA-256 and what its checkpoint
    /// says of its training and evaluation; reads each file through once more. Empty for the classical method.
    /// </summary>
    public IReadOnlyList<RunModel> ModelFiles() => RunFacts.ModelsOf(Model);

    /// <summary>The post-processing settings in effect (null for the classical method).</summary>
    public PartitionOptions? PostProcessing => Model?.Partition;

    public void Dispose() => Model?.Dispose();

    /// <summary>The classical method uses no network: options that only a network uses are an error naming them, never ignored.</summary>
    static void RefuseNetworkOptions(SegmenterOptions o)
    {
        var given = SegmenterOptions.NetworkOnly.Where(n => n.IsSet(o)).Select(n => n.Setting).ToList();
        if (given.Count > 0)
            throw new NucleiInputException(null, $"{SettingMessage.Join(", ", given)}: not used by {Setting.Method} classical (it has no network); leave {(given.Count == 1 ? "it" : "them")} out or use {Setting.Method} model");
    }

    /// <summary>The classical method's settings: its own defaults, with the user's [post] policy and min_object_size.</summary>
    static ClassicalOptions ClassicalOptionsOf(PostProcessingLayer user)
    {
        string[] applicable = ["post.policy", "post.min_object_size"];
        // a size given brings remove_objects = True with it (PostProcessingSettings.AsLayer): implied, not the user's choice
        bool implied(PostProcessingKey k) => k.IniKey == "post.remove_objects" && user.ValueOf(k) is true && user.Keys.Any(m => m.IniKey == "post.min_object_size");
        if (user.Keys.FirstOrDefault(k => !applicable.Contains(k.IniKey, StringComparer.OrdinalIgnoreCase) && !implied(k)) is { } bad)
            throw new NucleiInputException(null, $"{bad.IniKey}: not used by {Setting.Method} classical (it reads only {string.Join(" and ", applicable)})");
        var read = user.Over(PostProcessingText.Defaults).ToPartitionOptions();
        var options = new ClassicalOptions();
        if (user.Keys.Any(k => k.IniKey == "post.policy")) options = options with { Policy = read.Policy };
        if (user.Keys.Any(k => k.IniKey == "post.min_object_size")) options = options with { MinSize = read.MinSize };
        return options;
    }
}
