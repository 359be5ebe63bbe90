namespace Nuclei.Core.Configuration;

/// <summary>
/// Keys of the original DSB2018 toolkit (samuelschen/DSB2018's config_default.ini) and of this project's earlier
/// versions that no setting reads any more, each with what does its job here. A user INI or override that sets one is
/// refused with that hint (never silently ignored); a run's own saved configuration from an earlier version may hold
/// them and is read without them.
/// </summary>
internal static class FormerSettings
{
    static readonly Dictionary<string, string> Hints = new(StringComparer.OrdinalIgnoreCase)
    {
        ["valid.pred_orig_size"] = "prediction never resizes an image to fit the network; how a large image is handled is `segment --mode` (pad, tile or auto)",
        ["valid.test_time_augment"] = "test-time augmentation is `segment --tta`",
        ["valid.ensemble"] = "an ensemble is several `segment --model` (maps averaged per head) or a .nens file from `train --folds`",
        ["valid.print_table"] = "the per-image table is `evaluate --per-image`",
        ["valid.figure_pos_x"] = "no figure windows here: `segment --report` writes report.html",
        ["valid.figure_pos_y"] = "no figure windows here: `segment --report` writes report.html",
        ["valid.view_color_equalize"] = "no figure windows here: `segment --report` writes report.html",
        ["train.log_name"] = "a run is named by its folder, `train --out`",
        ["param.gcd_depth"] = "the network's depth is `depth` in the section of the model ([camunet] depth, ...)",
        ["contour.detect"] = "the contour target is set by [contour] adjacent_boundary_only, adjacent_radius and thickness",
        ["contour.exclusive"] = "the contour target is set by [contour] adjacent_boundary_only, adjacent_radius and thickness",
        ["contour.precise"] = "the contour target is set by [contour] adjacent_boundary_only, adjacent_radius and thickness",
        ["pre.label_to_binary"] = "labels stay instance labels through the augmentation; there is nothing to set",
        ["post.segmentation"] = "post-processing is [post] policy (ws or rw) with [param] threshold, threshold_edge and threshold_mark",
        ["post.seg_ratio"] = "post-processing is [post] policy (ws or rw) with [param] threshold, threshold_edge and threshold_mark",
        ["post.seg_scale"] = "post-processing is [post] policy (ws or rw) with [param] threshold, threshold_edge and threshold_mark",
        ["post.filter_fiber"] = "that is `partition --remove-fiber`",
        ["default.branch_marker"] = "the heads follow from [param] model: camunet and scamunet have semantic, contour and marker heads",
        ["default.branch_contour"] = "the heads follow from [param] model: caunet and dcan add a contour head, camunet a marker head too",
        ["default.width"] = "the crop size is [param] width",
    };

    /// <summary>What replaces the key ("section.key"), or null when it is not a former key.</summary>
    public static string? HintFor(string section, string key) =>
        Hints.TryGetValue($"{section}.{key}", out var hint) ? hint
        : ArchitectureHint(section);

    /// <summary>A section named after an original architecture ([res_camunet]): its name here.</summary>
    static string? ArchitectureHint(string section) =>
        FormerArchitectures.Equivalent(section) is { } now ? $"[{section}] is the original toolkit's model {section}: here {now}" : null;
}
