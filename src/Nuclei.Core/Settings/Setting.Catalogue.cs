namespace Nuclei.Core.Settings;

/// <summary>The settings error messages name, each declared once: its front-end name, library member and INI key.</summary>
public sealed partial record Setting
{
    // which planes of an image are read
    public static readonly Setting Channel = new("channel", "PlaneChoice.Channel");
    public static readonly Setting Z = new("z", "PlaneChoice.Z");
    public static readonly Setting StitchThreshold = new("stitch-threshold", "PlaneChoice.StitchThreshold");

    // what an image may declare before it is decoded
    public static readonly Setting MaxMegapixels = new("max-megapixels", "ImageLimits.MaxPixels");

    // the network and how it sees an image
    public static readonly Setting Method = new("method", "SegmenterOptions.Method");
    public static readonly Setting Model = new("model", "SegmenterOptions.Models");
    public static readonly Setting Weights = new("weights", "SegmenterOptions.Weights");
    public static readonly Setting Tta = new("tta", "SegmenterOptions.Tta");
    public static readonly Setting Precision = new("precision", "SegmenterOptions.Precision");
    public static readonly Setting Runtime = new("runtime", "SegmenterOptions.Runtime");
    public static readonly Setting Device = new("device", "SegmenterOptions.Device");
    public static readonly Setting Mode = new("mode", "SegmenterOptions.Mode");
    public static readonly Setting Border = new("border", "SegmenterOptions.Border");
    public static readonly Setting TileSize = new("tile-size", "SegmenterOptions.TileSize");
    public static readonly Setting TileOverlap = new("tile-overlap", "SegmenterOptions.TileOverlap");
    public static readonly Setting Diameter = new("diameter", "SegmenterOptions.Diameter");
    public static readonly Setting Stain = new("stain", "SegmenterOptions.Stain");

    // post-processing
    public static readonly Setting Threshold = new("threshold", "PostProcessingSettings.Threshold", "param.threshold");
    public static readonly Setting ThresholdEdge = new("threshold-edge", "PostProcessingSettings.ThresholdEdge", "param.threshold_edge");
    public static readonly Setting ThresholdMark = new("threshold-mark", "PostProcessingSettings.ThresholdMark", "param.threshold_mark");
    public static readonly Setting Markers = new("markers", "PostProcessingSettings.Markers", "post.markers");
    public static readonly Setting Policy = new("policy", "PostProcessingSettings.Policy", "post.policy");
    public static readonly Setting MinObjectSize = new("min-object-size", "PostProcessingSettings.MinObjectSize", "post.min_object_size");

    // block-wise segmentation of large images
    public static readonly Setting NoBlocks = new("no-blocks", "a whole-image NucleiSegmenter.Segment (no WholeImage)");
    public static readonly Setting BlockSize = new("block-size", "BlockOptions.BlockSize");
    public static readonly Setting BlockContext = new("block-context", "BlockOptions.Context");

    // inputs and outputs
    public static readonly Setting Shard = new("shard", "Shard");
    public static readonly Setting Pattern = new("pattern", "FolderScan.Patterns");
    public static readonly Setting PixelSize = new("pixel-size", "OutputOptions.PixelSizeUm");
    public static readonly Setting OutlineWidth = new("outline-width", "OverlayOptions.OutlineWidth");
    public static readonly Setting Export = new("export", "OutputOptions.Exports");

    // training: set only in a configuration file or as a section.key=value argument, so its name is its key
    public static readonly Setting Pretrained = new("param.pretrained", "TrainingOptions.Pretrained", "param.pretrained");

    // tuning
    public static readonly Setting TunedOut = new("out", "TuneRequest.OutPath");

    // blending two checkpoints
    public static readonly Setting BlendedOut = new("out", "BlendRequest.OutPath");
    public static readonly Setting BlendWeight = new("weight", "BlendRequest.Weight");

    // adapting a model to unlabelled images
    public static readonly Setting AdaptMethod = new("method", "AdaptationOptions.Method");

    // data tools
    public static readonly Setting SyntheticKind = new("kind", "SyntheticStainOptions.Kind");
    public static readonly Setting HoldOutKind = new("hold-out-kind", "LeaveKindOut.Parse");
}
