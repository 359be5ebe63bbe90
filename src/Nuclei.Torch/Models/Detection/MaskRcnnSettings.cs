using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Mask R-CNN's settings that do not change its weights' shapes, from the [maskrcnn] section (config/default.ini says what
/// each does): read from the run's configuration in training and from the checkpoint's saved configuration in
/// segmentation. Defaults are torchvision's maskrcnn_resnet50_fpn's, except where nuclei (small, many, touching) differ:
/// anchor sizes 8..128 px, up to 500 detections, a low mask threshold; and where the CPU's cost does, in training: 1,000
/// proposals after NMS, 64 anchors sampled for the RPN and 128 proposals for the heads, a third of them positive (each
/// positive costs a mask-head pass), the values of Matterport's Mask_RCNN nucleus sample (samples/nucleus/nucleus.py).
/// </summary>
internal sealed record MaskRcnnSettings
{
    public double[] AnchorSizes { get; init; } = [8, 16, 32, 64, 128];
    public int RpnPreNmsTrain { get; init; } = 2000;
    public int RpnPreNmsTest { get; init; } = 1000;
    public int RpnPostNmsTrain { get; init; } = 1000;
    public int RpnPostNmsTest { get; init; } = 1000;
    public double RpnNmsThreshold { get; init; } = 0.7;
    public double RpnForegroundIou { get; init; } = 0.7;
    public double RpnBackgroundIou { get; init; } = 0.3;
    public int RpnBatchPerImage { get; init; } = 64;
    public double RpnPositiveFraction { get; init; } = 0.5;
    public double BoxForegroundIou { get; init; } = 0.5;
    public int BoxBatchPerImage { get; init; } = 128;
    public double BoxPositiveFraction { get; init; } = 0.33;
    public double BoxScoreThreshold { get; init; } = 0.05;
    public double BoxNmsThreshold { get; init; } = 0.5;
    public int DetectionsPerImage { get; init; } = 500;
    public double ScoreThreshold { get; init; } = 0.5;
    public double MaskThreshold { get; init; } = 0.35;
    public int MinSize { get; init; } = 10;

    /// <summary>The [maskrcnn] section of <paramref name="s"/>; a bad value is an error naming it.</summary>
    public static MaskRcnnSettings From(CheckpointSettings s)
    {
        const string section = "maskrcnn";
        var sizes = s.GetDoubles(section, "anchor_sizes", min: 1, max: 4096);
        if (sizes.Length != MaskRcnn.PyramidLevels) throw s.Bad(section, "anchor_sizes", $"{MaskRcnn.PyramidLevels} sizes, one per pyramid level");
        return new MaskRcnnSettings
        {
            AnchorSizes = sizes,
            RpnPreNmsTrain = s.GetInt(section, "rpn_pre_nms_top_n_train", min: 1, max: 100_000),
            RpnPreNmsTest = s.GetInt(section, "rpn_pre_nms_top_n_test", min: 1, max: 100_000),
            RpnPostNmsTrain = s.GetInt(section, "rpn_post_nms_top_n_train", min: 1, max: 100_000),
            RpnPostNmsTest = s.GetInt(section, "rpn_post_nms_top_n_test", min: 1, max: 100_000),
            RpnNmsThreshold = s.GetDouble(section, "rpn_nms_threshold", min: 0, max: 1),
            RpnForegroundIou = s.GetDouble(section, "rpn_fg_iou", min: 0, max: 1),
            RpnBackgroundIou = s.GetDouble(section, "rpn_bg_iou", min: 0, max: 1),
            RpnBatchPerImage = s.GetInt(section, "rpn_batch_per_image", min: 1, max: 100_000),
            RpnPositiveFraction = s.GetDouble(section, "rpn_positive_fraction", min: 0.01, max: 1),
            BoxForegroundIou = s.GetDouble(section, "box_fg_iou", min: 0, max: 1),
            BoxBatchPerImage = s.GetInt(section, "box_batch_per_image", min: 1, max: 100_000),
            BoxPositiveFraction = s.GetDouble(section, "box_positive_fraction", min: 0.01, max: 1),
            BoxScoreThreshold = s.GetDouble(section, "box_score_threshold", min: 0, max: 1),
            BoxNmsThreshold = s.GetDouble(section, "box_nms_threshold", min: 0, max: 1),
            DetectionsPerImage = s.GetInt(section, "detections_per_image", min: 1, max: 100_000),
            ScoreThreshold = s.GetDouble(section, "score_threshold", min: 0, max: 1),
            MaskThreshold = s.GetDouble(section, "mask_threshold", min: 0, max: 1),
            MinSize = s.GetInt(section, "min_size", min: 0, max: 1_000_000),
        };
    }
}
