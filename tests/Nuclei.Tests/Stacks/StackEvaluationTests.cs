using System.Text.Json;
using Nuclei.Core;
using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.Metrics;
using Nuclei.Tests.Core;

namespace Nuclei.Tests.Stacks;

/// <summary>
/// `evaluate` of 3D label stacks: nuclei matched by IoU over voxels with the DSB metric, and each z plane scored as a
/// 2D image. Two spheres of radius 12 px, planes 4 px apart, centred in plane 3 of 7: a sphere is the discs of radius
/// √(144 − 16k²) in planes 3 ± k, k = 0, 1, 2 (k = 3 leaves no disc), of 441, 405 and 249 pixels (lattice points
/// x² + y² ≤ r², counted by hand), 441 + 2·405 + 2·249 = 1749 voxels.
/// </summary>
public sealed class StackEvaluationTests : IDisposable
{
    const int Depth = 7, H = 64, W = 64;
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-stack-eval-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static SyntheticStack Spheres() => new SyntheticStack(Depth, H, W)
        .Sphere(3, 18, 18, radius: 12, step: 4)
        .Sphere(3, 46, 46, radius: 12, step: 4);

    /// <summary>The stack's objects labelled 1, 2, … through every plane; <paramref name="splitAt"/>: sphere 1's planes from there on take label 3.</summary>
    static IReadOnlyList<LabelImage> Labels(SyntheticStack stack, int? splitAt = null)
    {
        var planes = Enumerable.Range(0, Depth).Select(_ => new LabelImage(H, W)).ToList();
        for (int o = 0; o < stack.Objects.Count; o++)
            foreach (long v in stack.Objects[o])
            {
                int z = (int)(v / (H * W));
                planes[z].Data[v % (H * W)] = o == 0 && z >= splitAt ? 3 : o + 1;
            }
        return planes;
    }

    /// <summary>Truth as Fiji saves a z-stack of labels (<c>cells.tif</c>); predictions as `segment --z stitch` writes them, plane maps included.</summary>
    (string Truth, string Pred) Folders(IReadOnlyList<LabelImage> truth, IReadOnlyList<LabelImage> pred)
    {
        string t = Directory.CreateDirectory(Path.Combine(dir, "truth")).FullName, p = Directory.CreateDirectory(Path.Combine(dir, "pred")).FullName;
        LabelStackTiff.Write(Path.Combine(t, "cells.tif"), truth, null);
        LabelStackTiff.Write(Path.Combine(p, "cells" + LabelStackTiff.Extension), pred, null);
        for (int z = 0; z < pred.Count; z++) ImageIO.WriteLabels(Path.Combine(p, $"cells_z{z + 1}.labels.png"), pred[z]);
        return (t, p);
    }

    [Fact]
    public void The_drawn_spheres_hold_the_voxels_counted_by_hand()
    {
        var stack = Spheres();
        Assert.All(stack.Objects, o => Assert.Equal(1749, o.Count));
        Assert.Equal([249, 405, 441, 405, 249], Enumerable.Range(1, 5).Select(z => stack.Objects[0].Count(v => v / (H * W) == z)));
    }

    [Fact]
    public void Identical_stacks_score_one_in_3d_and_per_plane()
    {
        var labels = Labels(Spheres());
        var (truth, pred) = Folders(labels, labels);
        var result = Evaluation.Run(truth, pred);
        var s = Assert.Single(result.Stacks);
        Assert.Equal(("cells", Depth, 1.0, 1.0, 2, 2, 1.0), (s.Id, s.Depth, s.Volume.MeanAp, s.Planes.MeanAp, s.Volume.TrueObjects, s.Volume.PredictedObjects, s.Voxels.Iou));
        Assert.Empty(result.Images);   // the plane maps beside the stack are its planes, not images of their own
    }

    /// <summary>
    /// Sphere 1 cut between planes 2 and 3: its lower part (249 + 405 = 654 voxels) has IoU 654/1749 ≈ 0.374 with it,
    /// the upper (441 + 405 + 249 = 1095) 1095/1749 ≈ 0.626. At IoU thresholds 0.50, 0.55 and 0.60 the upper part and
    /// sphere 2 match: TP 2, FP 1, FN 0, 2/3. From 0.65 to 0.95 (7 thresholds) only sphere 2: TP 1, FP 2, FN 1, 1/4.
    /// 3D mean AP (3·2/3 + 7·1/4)/10 = 0.375. Every plane alone still holds the same discs: 1 per plane.
    /// </summary>
    [Fact]
    public void A_sphere_split_across_planes_scores_one_per_plane_but_lower_in_3d()
    {
        var stack = Spheres();
        var (truth, pred) = Folders(Labels(stack), Labels(stack, splitAt: 3));
        var s = Assert.Single(Evaluation.Run(truth, pred).Stacks);
        Assert.Equal(1.0, s.Planes.MeanAp);
        Assert.Equal(0.375, s.Volume.MeanAp, 12);
        Assert.Equal((2, 1, 0), (s.Volume.PerThreshold[2].TruePositives, s.Volume.PerThreshold[2].FalsePositives, s.Volume.PerThreshold[2].FalseNegatives));
        Assert.Equal((1, 2, 1), (s.Volume.PerThreshold[3].TruePositives, s.Volume.PerThreshold[3].FalsePositives, s.Volume.PerThreshold[3].FalseNegatives));
        Assert.Equal((2, 3), (s.Volume.TrueObjects, s.Volume.PredictedObjects));
    }

    [Fact]
    public void The_command_prints_both_scores_and_writes_them_to_json()
    {
        var stack = Spheres();
        var (truth, pred) = Folders(Labels(stack), Labels(stack, splitAt: 3));
        var run = SamplesAndEvaluateTests.RunCli("evaluate", "--truth", truth, "--pred", pred);
        Assert.True(run.Exit == 0, run.Out + run.Err);
        Assert.Equal("mean_ap_3d=0.3750 mean_ap_planes=1.0000 stacks=1", run.Out.TrimEnd().Split('\n')[^1]);

        var json = SamplesAndEvaluateTests.RunCli("evaluate", "--truth", truth, "--pred", pred, "--json");
        Assert.True(json.Exit == 0, json.Out + json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var stackJson = doc.RootElement.GetProperty("stacks")[0];
        Assert.Equal(("cells", 0.375, 1.0), (stackJson.GetProperty("id").GetString(), stackJson.GetProperty("mean_ap_3d").GetDouble(), stackJson.GetProperty("mean_ap_planes").GetDouble()));
        Assert.Equal(0.375, doc.RootElement.GetProperty("mean_ap_3d").GetDouble());
    }

    [Fact]
    public void Per_image_lists_each_stack_and_scores_writes_its_3d_and_per_plane_scores()
    {
        var stack = Spheres();
        var (truth, pred) = Folders(Labels(stack), Labels(stack, splitAt: 3));
        string scores = Path.Combine(dir, "scores.csv");
        var run = SamplesAndEvaluateTests.RunCli("evaluate", "--truth", truth, "--pred", pred, "--per-image", "--scores", scores);
        Assert.True(run.Exit == 0, run.Out + run.Err);
        // the stack's row: id, planes, 3D mean AP, per-plane mean AP, truth and predicted 3D nuclei (the split sphere's two parts)
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(run.Out, @"cells\W+7\W+0\.3750\W+1\.0000\W+2\W+3\W"), run.Out);

        var lines = File.ReadAllLines(scores);
        Assert.Equal("image,mean_ap,ap_50,f1_50,true_objects,predicted_objects,pixel_iou,planes,mean_ap_planes", lines[0]);
        var row = Assert.Single(lines[1..]).Split(',');
        Assert.Equal(("cells", "0.375000", "2", "3", "7", "1.000000"), (row[0], row[1], row[4], row[5], row[7], row[8]));
    }

    [Theory]
    [InlineData("--by-kind")]
    [InlineData("--report")]
    public void Options_for_2d_images_are_refused_with_stacks_naming_the_option(string option)
    {
        var labels = Labels(Spheres());
        var (truth, pred) = Folders(labels, labels);
        string report = Path.Combine(dir, "report.html");
        string[] args = option == "--report" ? ["--report", report] : [option];
        var run = SamplesAndEvaluateTests.RunCli(["evaluate", "--truth", truth, "--pred", pred, .. args]);
        Assert.Equal(2, run.Exit);
        string error = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{option} covers 2D images only, and the truth holds 1 3D label stack(s) ('cells')", error);
        Assert.False(File.Exists(report));
    }

    [Fact]
    public void Stacks_of_other_sizes_are_refused_naming_the_prediction()
    {
        var labels = Labels(Spheres());
        var (truth, pred) = Folders(labels, labels.Take(Depth - 1).ToList());
        var e = Assert.Throws<NucleiInputException>(() => Evaluation.Run(truth, pred));
        string file = Path.Combine(pred, "cells" + LabelStackTiff.Extension);
        Assert.Equal($"{file}: label stack is {Depth - 1}x{H}x{W} (z x height x width) but the truth for 'cells' is {Depth}x{H}x{W} ({Path.Combine(truth, "cells.tif")})", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_2d_truth_against_a_3d_prediction_is_refused_naming_the_stack()
    {
        var labels = Labels(Spheres());
        var (truth, pred) = Folders(labels, labels);
        File.Delete(Path.Combine(truth, "cells.tif"));
        ImageIO.WriteLabels(Path.Combine(truth, "cells.png"), labels[3]);
        var e = Assert.Throws<NucleiInputException>(() => Evaluation.Run(truth, pred));
        Assert.StartsWith($"{Path.Combine(pred, "cells" + LabelStackTiff.Extension)}: a 3D label stack, but the truth for 'cells' is a 2D label map", e.Message);
    }
}
