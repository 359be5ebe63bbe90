using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nuclei.Core.Output;

/// <summary>
/// Every setting a segmentation run used, as settled (the model's saved configuration under the user's, defaults
/// filled in), named as the command-line options; null where a setting does not apply (a network's settings with the
/// classical method).
/// </summary>
public sealed record RunSettings
{
    /// <summary>model or classical.</summary>
    public string Method { get; init; } = "model";
    public float? Threshold { get; init; }
    public float? ThresholdEdge { get; init; }
    public float? ThresholdMark { get; init; }
    public int MinObjectSize { get; init; }
    /// <summary>ws or rw.</summary>
    public string Policy { get; init; } = "ws";
    public string? Markers { get; init; }
    public bool? FillHoles { get; init; }
    public bool ExcludeOnEdges { get; init; }
    public string? Mode { get; init; }
    public string? Border { get; init; }
    public int? TileSize { get; init; }
    public int? TileOverlap { get; init; }
    public bool Tta { get; init; }
    public string? Precision { get; init; }
    /// <summary>What computed the network: torch or onnx.</summary>
    public string? Runtime { get; init; }
    /// <summary>Where it computed: cpu or cuda (what auto settled on).</summary>
    public string? Device { get; init; }
    /// <summary>The nucleus diameter given (pixels), auto, or none: images segmented at their own scale.</summary>
    public string? Diameter { get; init; }
    /// <summary>The model's training median nucleus diameter that --diameter rescales to (pixels).</summary>
    public double? ModelDiameter { get; init; }
    public string? Stain { get; init; }
    /// <summary>The channel read (all: as the image has them).</summary>
    public string? Channel { get; init; }
    /// <summary>How a z-stack is read: none, max, mean, each or stitch.</summary>
    public string? Z { get; init; }
    /// <summary>With --z stitch, the least IoU that joined nuclei of adjacent planes; null otherwise.</summary>
    public double? StitchThreshold { get; init; }
    /// <summary>Block-wise segmentation: always, never or auto (above 4096² pixels).</summary>
    public string? Blocks { get; init; }
    public int? BlockSize { get; init; }
    public int? BlockContext { get; init; }
    public string? Truth { get; init; }
    public bool Measure { get; init; }
    public string? Exports { get; init; }
    public double? PixelSizeUm { get; init; }

    /// <summary>
    /// The settings that have no property above, by their run.json names, written after them: a library option recorded
    /// from its one declaration (<see cref="RunRecordFile.With"/>), or a setting of a newer file. Null when there are none.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Others { get; init; }
}
