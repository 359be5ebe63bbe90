using Nuclei.Core.PostProcessing;
using Nuclei.Core.IO;
using Nuclei.Core.Settings;
using Nuclei.Core.Staining;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;

namespace Nuclei;

/// <summary>
/// What <see cref="NucleiSegmenter.Load"/> builds. Every property left unset takes its one default: prediction options
/// from <see cref="PredictionOptions"/>, post-processing from the model's saved configuration over config/default.ini.
/// Post-processing is layered: config/default.ini, the (first) model's saved configuration, <see cref="Config"/>,
/// <see cref="Overrides"/>, then <see cref="PostProcessing"/>.
/// </summary>
public sealed record SegmenterOptions
{
    /// <summary>A network (default) or the classical method; options that only a network uses are refused with the classical one.</summary>
    public SegmentationMethod Method { get; init; } = SegmentationMethod.Model;

    /// <summary>Checkpoint files (.nck); several make an ensemble (maps averaged per head). Empty: $NUCLEI_MODEL, else the bundled models/default.nck.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Ensemble weights, one per model (null: equal).</summary>
    public IReadOnlyList<float>? Weights { get; init; }

    /// <summary>Test-time augmentation: average over the 8 flips/rotations (about 8 times slower).</summary>
    public bool Tta { get; init; }

    /// <summary>The number format the networks compute in (null: fp32; bf16 is about 3× faster on CPUs with AMX, auto picks it there).</summary>
    public ComputePrecision? Precision { get; init; }

    /// <summary>
    /// What computes the networks' forward pass (null: <see cref="NetworkRuntimes.Default"/>, TorchSharp). ONNX Runtime
    /// runs each checkpoint exported in memory, in float32, on the CPU or (<see cref="Device"/>) a GPU; normalisation,
    /// tiling, TTA, rescaling and post-processing are the same code for both.
    /// </summary>
    public NetworkRuntime? Runtime { get; init; }

    /// <summary>
    /// Where the networks compute (null: <see cref="InferenceDevices.Default"/>, auto). auto: with the onnx runtime, a GPU
    /// through ONNX Runtime's CUDA provider when the build has it (<c>-p:NucleiGpu=true</c>) and the machine has a GPU,
    /// CUDA 13 and cuDNN 9; otherwise the CPU, with <see cref="NucleiSegmenter.DeviceFallback"/> saying why. cpu: always
    /// the CPU. cuda: the GPU or an error (with torch always an error: this build's libtorch is CPU-only).
    /// </summary>
    public InferenceDevice? Device { get; init; }

    /// <summary>How images of any size are fed to the network (null: auto).</summary>
    public SizeMode? Mode { get; init; }

    /// <summary>Border added in pad and tile modes (null: reflect).</summary>
    public PadBorder? Border { get; init; }

    /// <summary>Tile side in tile mode (null: 512).</summary>
    public int? TileSize { get; init; }

    /// <summary>Overlap of neighbouring tiles (null: 64).</summary>
    public int? TileOverlap { get; init; }

    /// <summary>The images' nucleus diameter (pixels or auto): images are rescaled to the model's training scale. Null: no rescaling.</summary>
    public Diameter? Diameter { get; init; }

    /// <summary>
    /// What the network is shown of each image: <see cref="Stain.None"/> the image as it is; <see cref="Stain.He"/> or
    /// <see cref="Stain.Ihc"/> the haematoxylin density of colour deconvolution, nuclei bright on dark as in fluorescence
    /// (<see cref="StainSeparation.HaematoxylinImage"/>); <see cref="Stain.Grey"/> the luminance, the stain's hue taken
    /// away; <see cref="Stain.Auto"/> decided per image
    /// (<see cref="StainDetection"/>). Which serves a model best is for validation to choose. Null: <see cref="Stains.Default"/>.
    /// </summary>
    public Stain? Stain { get; init; }

    /// <summary>A user INI file whose [param] threshold* and [post] keys override the model's saved ones (other keys are an error).</summary>
    public string? Config { get; init; }

    /// <summary>section.key=value overrides over <see cref="Config"/> (same keys).</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>
    /// Remove the nuclei touching the image border (cut by the field of view: neither their area nor their shape is
    /// theirs), from the labels and so from every measurement and export; <see cref="SegmentationResult.RemovedOnEdges"/>
    /// says how many. For a block of a larger image, only that image's border counts: its caller removes them (the
    /// block's own edges are seams).
    /// </summary>
    public bool ExcludeOnEdges { get; init; }

    /// <summary>
    /// Which channel and z planes of a multi-page TIFF (OME, ImageJ or plain pages), or which colour channel of an RGB
    /// image, <see cref="NucleiSegmenter.Segment(string, Action{string}?)"/> reads, as <c>segment --channel/--z</c> choose
    /// them (<see cref="PlaneChoice.Parse"/>). Null: <see cref="PlaneChoice.Default"/>, under which a file of several
    /// channels is refused with a message listing them, never read from its first page. Per-plane choices (z each,
    /// stitch) make several images of one file and are refused there.
    /// </summary>
    public PlaneChoice? Planes { get; init; }

    /// <summary>Post-processing settings by their INI names, over everything else.</summary>
    public PostProcessingSettings PostProcessing { get; init; } = new();

    /// <summary>
    /// The options only a network uses, in the order an error names them, each with whether these options set it and, for
    /// those run.json records, its name there and its settled value (<see cref="NetworkOption"/>). Declared once, so a new
    /// network option is its property, its <see cref="Setting"/> (beside it, unless Core or Torch messages name it too:
    /// then in Setting.Catalogue.cs) and one line here.
    /// </summary>
    internal static readonly IReadOnlyList<NetworkOption> NetworkOnly =
    [
        // the models are recorded as files (run.json's models), with their weights
        new(Setting.Model, o => o.Models.Count > 0),
        new(Setting.Weights, o => o.Weights is not null),
        new(Setting.Tta, o => o.Tta, "tta", (s, _) => s.Options.Tta),
        new(Setting.Precision, o => o.Precision is not null, "precision", (_, m) => Word(m.Predictor.Models[0].Precision)),
        new(Setting.Runtime, o => o.Runtime is not null, "runtime", (_, m) => NetworkRuntimes.NameOf(m.Predictor.Models[0].Runtime)),
        new(Setting.Device, o => o.Device is not null, "device", (_, m) => InferenceDevices.NameOf(m.Predictor.Models[0].Device)),
        new(Setting.Mode, o => o.Mode is not null, "mode", (_, m) => Word(m.Predictor.Options.Mode)),
        new(Setting.Border, o => o.Border is not null, "border", (_, m) => Word(m.Predictor.Options.Border)),
        new(Setting.TileSize, o => o.TileSize is not null, "tile_size", (_, m) => m.Predictor.Options.TileSize),
        new(Setting.TileOverlap, o => o.TileOverlap is not null, "tile_overlap", (_, m) => m.Predictor.Options.TileOverlap),
        new(Setting.Diameter, o => o.Diameter is not null, "diameter", (_, m) => m.Diameter?.ToString() ?? "none"),
        new(Setting.Stain, o => o.Stain is not null, "stain", (s, _) => s.StainSetting.Name()),
        // the post-processing settings only a network reads, from their table (run.json records them from their layers)
        .. PartitionOptions.Keys.Where(k => k.NetworkOnly && k.Setting is not null)
            .Select(k => new NetworkOption(k.Setting!, o => o.PostProcessing.IsSet(k))),
    ];

    // run.json's word for an enum value: SizeMode.Auto → auto
    static string Word(Enum value) => value.ToString().ToLowerInvariant();
}
