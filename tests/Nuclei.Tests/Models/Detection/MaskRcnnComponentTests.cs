using Nuclei.Core.Imaging;
using Nuclei.Torch.Models.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models.Detection;

/// <summary>The Mask R-CNN pieces, each against a case computed by hand.</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public sealed class MaskRcnnComponentTests
{
    private static float[] Values(Tensor t) => t.to(ScalarType.Float32).contiguous().data<float>().ToArray();

    private static long[] Longs(Tensor t) => t.contiguous().data<long>().ToArray();

    private static Tensor Box(params float[] xyxy) => tensor(xyxy, new long[] { xyxy.Length / 4, 4 });

    [Fact]
    public void Cell_anchors_have_the_size_and_ratios()
    {
        var generator = new AnchorGenerator([8, 16], [0.5, 1, 2]);
        using var cell = generator.CellAnchors(1);
        // ratio 1: a 16 × 16 square; ratio 0.5 (h/w): w = 16·√2 = 22.6 → ±11, h = 16/√2 = 11.3 → ±6 (rounded half-sides)
        Assert.Equal(new float[] { -11, -6, 11, 6, -8, -8, 8, 8, -6, -11, 6, 11 }, Values(cell));
    }

    [Fact]
    public void Level_anchors_are_shifted_by_the_stride_location_major()
    {
        var generator = new AnchorGenerator([8], [1]);
        using var anchors = generator.ForLevel(0, height: 2, width: 3, stride: 4);
        Assert.Equal(new long[] { 6, 4 }, anchors.shape);
        // location (y 1, x 2) is the sixth: centre (8, 4)
        Assert.Equal(new float[] { 4, 0, 12, 8 }, Values(anchors[5]));
        Assert.Equal(new float[] { 0, -4, 8, 4 }, Values(anchors[1]));
    }

    [Fact]
    public void Box_coder_encodes_a_shift_by_hand_and_decodes_back()
    {
        using var anchors = Box(0, 0, 10, 10, 5, 5, 25, 15);
        using var truth = Box(2, 2, 12, 12, 0, 0, 40, 30);
        using var deltas = BoxCoder.Rpn.Encode(truth, anchors);
        // first: centre moves (7 − 5) / 10 = 0.2 widths, same size
        Assert.Equal(new[] { 0.2f, 0.2f, 0f, 0f }, Values(deltas[0]), new ToleranceComparer(1e-6f));
        // second: centre (15, 10) → (20, 15) over 20 × 10, size doubles then triples
        Assert.Equal(new[] { 0.25f, 0.5f, MathF.Log(2), MathF.Log(3) }, Values(deltas[1]), new ToleranceComparer(1e-6f));
        foreach (var coder in new[] { BoxCoder.Rpn, BoxCoder.BoxHead })
        {
            using var encoded = coder.Encode(truth, anchors);
            using var decoded = coder.Decode(encoded, anchors);
            Assert.Equal(Values(truth), Values(decoded), new ToleranceComparer(1e-4f));
        }
    }

    [Fact]
    public void Box_coder_clamps_the_log_scale()
    {
        using var anchor = Box(0, 0, 10, 10);
        using var huge = tensor(new float[] { 0, 0, 100, 100 }, new long[] { 1, 4 });
        using var decoded = BoxCoder.Rpn.Decode(huge, anchor);
        float width = Values(decoded)[2] - Values(decoded)[0];
        Assert.Equal(10 * 1000f / 16, width, 2);   // exp(log(1000/16)) anchor widths
    }

    [Fact]
    public void Iou_of_hand_made_boxes()
    {
        using var a = Box(0, 0, 10, 10);
        using var b = Box(5, 0, 15, 10, 20, 20, 30, 30, 0, 0, 10, 10);
        using var iou = Nuclei.Torch.Models.Detection.Boxes.Iou(a, b);
        Assert.Equal(new[] { 50f / 150, 0f, 1f }, Values(iou), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void Matcher_on_a_hand_made_iou_matrix()
    {
        // two nuclei × four anchors
        using var iou = tensor(new float[] { 0.9f, 0.4f, 0.1f, 0.2f, 0.1f, 0.5f, 0.6f, 0.25f }, new long[] { 2, 4 });
        // anchor 0 matches nucleus 0; 1 and 2 are between 0.3 and 0.7 (ignored); 3 is background...
        using var strict = new Matcher(0.7, 0.3, allowLowQuality: false).Match(iou);
        Assert.Equal(new long[] { 0, Matcher.Ignored, Matcher.Ignored, Matcher.Background }, Longs(strict));
        // ...but anchor 2 is nucleus 1's best, so with low-quality matches it matches nucleus 1
        using var rpn = new Matcher(0.7, 0.3, allowLowQuality: true).Match(iou);
        Assert.Equal(new long[] { 0, Matcher.Ignored, 1, Matcher.Background }, Longs(rpn));
    }

    [Fact]
    public void Matcher_without_ground_truth_gives_background()
    {
        using var iou = zeros(0, 3);
        using var matches = new Matcher(0.5, 0.5, false).Match(iou);
        Assert.Equal(new long[] { -1, -1, -1 }, Longs(matches));
    }

    [Fact]
    public void Sampler_caps_the_positives_and_fills_with_negatives()
    {
        torch.manual_seed(3);
        var labels = Enumerable.Repeat(1L, 10).Concat(Enumerable.Repeat(0L, 100)).Concat(Enumerable.Repeat(-1L, 5)).ToArray();
        using var t = tensor(labels);
        var (pos, neg) = new BalancedSampler(16, 0.25).Sample(t);
        Assert.Equal(4, pos.shape[0]);
        Assert.Equal(12, neg.shape[0]);
        Assert.All(Longs(pos), i => Assert.Equal(1, labels[i]));
        Assert.All(Longs(neg), i => Assert.Equal(0, labels[i]));
        Assert.Equal(12, Longs(neg).Distinct().Count());
        pos.Dispose(); neg.Dispose();

        using var few = tensor(new long[] { 1, 0, 0, 0, -1 });
        var (p2, n2) = new BalancedSampler(16, 0.25).Sample(few);
        Assert.Equal(1, p2.shape[0]);
        Assert.Equal(3, n2.shape[0]);
        p2.Dispose(); n2.Dispose();
    }

    [Fact]
    public void Nms_keeps_the_best_of_overlapping_boxes()
    {
        using var boxes = Box(0, 0, 10, 10, 1, 0, 11, 10, 20, 20, 30, 30, 0, 0, 10, 9);
        using var scores = tensor(new float[] { 0.8f, 0.9f, 0.5f, 0.7f });
        using var kept = NonMaximumSuppression.Apply(boxes, scores, 0.5);
        // box 1 (0.9) suppresses box 0 (IoU 9/11) and box 3 (IoU 81/109); box 2 stands alone
        Assert.Equal(new long[] { 1, 2 }, Longs(kept));
        using var groups = tensor(new long[] { 0, 1, 0, 1 });
        using var byGroup = NonMaximumSuppression.ApplyByGroup(boxes, scores, groups, 0.5);
        Assert.Equal(new long[] { 1, 0, 2 }, Longs(byGroup));
        // at most two kept: the two best survivors, not the two best boxes (box 0, suppressed, scores above box 2)
        using var two = NonMaximumSuppression.Apply(boxes, scores, 0.5, maxKept: 2);
        Assert.Equal(new long[] { 1, 2 }, Longs(two));
        using var twoByGroup = NonMaximumSuppression.ApplyByGroup(boxes, scores, groups, 0.5, maxKept: 2);
        Assert.Equal(new long[] { 1, 0 }, Longs(twoByGroup));
    }

    [Fact]
    public void Nms_by_group_equals_nms_of_each_group_alone()
    {
        manual_seed(5);
        using var xy = rand(300, 2) * 60;
        using var boxes = cat([xy, xy + rand(300, 2) * 20 + 4], 1);
        using var scores = rand(300);
        using var groups = randint(0, 3, 300, dtype: ScalarType.Int64);
        using var byGroup = NonMaximumSuppression.ApplyByGroup(boxes, scores, groups, 0.5);
        var expected = new List<long>();
        for (long g = 0; g < 3; g++)
        {
            using var members = (groups == g).nonzero().flatten();
            using var kept = NonMaximumSuppression.Apply(boxes.index_select(0, members), scores.index_select(0, members), 0.5);
            using var original = members.index_select(0, kept);
            expected.AddRange(Longs(original));
        }
        // the same boxes, in descending score order over all groups
        var byScore = expected.OrderByDescending(i => scores[i].item<float>()).ToArray();
        Assert.Equal(byScore, Longs(byGroup));
        Assert.True(byScore.Length is > 10 and < 300, $"{byScore.Length} kept: the case tests nothing");
    }

    [Fact]
    public void Nms_of_no_boxes_keeps_none()
    {
        using var boxes = zeros(0, 4);
        using var scores = zeros(0);
        using var kept = NonMaximumSuppression.Apply(boxes, scores, 0.5);
        Assert.Equal(0, kept.shape[0]);
        using var groups = zeros(0, dtype: ScalarType.Int64);
        using var byGroup = NonMaximumSuppression.ApplyByGroup(boxes, scores, groups, 0.5);
        Assert.Equal(0, byGroup.shape[0]);
    }

    [Fact]
    public void RoiAlign_matches_hand_computed_bilinear_values()
    {
        using var map = arange(16, dtype: ScalarType.Float32).reshape(1, 1, 4, 4);   // value = 4y + x
        using var index = tensor(new long[] { 0, 0 });
        // box (0,0)-(2,2), one bin, one sample: the aligned centre is pixel (0.5, 0.5): (0 + 1 + 4 + 5) / 4
        using var box = Box(0, 0, 2, 2, 1, 0, 3, 2);
        using var one = RoiAlign.Apply(map, box, index, 1.0, output: 1, sampling: 1);
        Assert.Equal(new[] { 2.5f, 3.5f }, Values(one), new ToleranceComparer(1e-5f));
        // 2 × 2 bins of box (0,0)-(4,4), 2 × 2 samples each: the bins' centres (0.5, 0.5), (2.5, 0.5), … of a linear field
        using var whole = Box(0, 0, 4, 4);
        using var first = tensor(new long[] { 0 });
        using var grid = RoiAlign.Apply(map, whole, first, 1.0, output: 2, sampling: 2);
        Assert.Equal(new[] { 2.5f, 4.5f, 10.5f, 12.5f }, Values(grid), new ToleranceComparer(1e-5f));
        // spatial scale 0.5: a box in image pixels (0,0)-(4,4) is (0,0)-(2,2) on the map
        using var half = RoiAlign.Apply(map, whole, first, 0.5, output: 1, sampling: 1);
        Assert.Equal(new[] { 2.5f }, Values(half), new ToleranceComparer(1e-5f));
    }

    [Fact]
    public void RoiAlign_reads_each_box_from_its_own_map()
    {
        using var maps = stack([zeros(1, 3, 3), ones(1, 3, 3) * 7], 0);   // [2, 1, 3, 3]
        using var boxes = Box(0, 0, 3, 3, 0, 0, 3, 3, 1, 1, 2, 2);
        using var index = tensor(new long[] { 1, 0, 1 });
        using var pooled = RoiAlign.Apply(maps, boxes, index, 1.0, output: 1, sampling: 2);
        Assert.Equal(new[] { 7f, 0f, 7f }, Values(pooled));
    }

    [Fact]
    public void RoiAlign_of_many_boxes_equals_each_box_alone_values_and_gradients()
    {
        // The boxes of one map are split into a group per libtorch thread, the last padded with filler boxes (on two
        // threads: 3 + 3 for these 5). No box may see another's group, the filler or the order, forward or backward.
        manual_seed(3);
        using var map = rand(1, 3, 12, 14);
        using var boxes = Box(0, 0, 5, 4, 2.5f, 1, 11, 9, 6, 6, 13.5f, 12, 1, 7, 4, 11, 3, 3, 8, 8);
        using var index = zeros(5, dtype: ScalarType.Int64);
        using var together = map.clone().requires_grad_();
        using var pooled = RoiAlign.Apply(together, boxes, index, 1.0, output: 3, sampling: 2);
        using var weights = rand(pooled.shape);
        (pooled * weights).sum().backward();
        using var alone = map.clone().requires_grad_();
        var each = Enumerable.Range(0, 5).Select(k => RoiAlign.Apply(alone, boxes[k..(k + 1)], index[k..(k + 1)], 1.0, output: 3, sampling: 2)).ToArray();
        using var separately = cat(each, 0);
        (separately * weights).sum().backward();
        Assert.True(allclose(pooled, separately, rtol: 1e-5, atol: 1e-6), "values differ");
        Assert.True(allclose(together.grad!, alone.grad!, rtol: 1e-5, atol: 1e-6), "gradients differ");
    }

    [Fact]
    public void Instance_targets_from_a_label_map()
    {
        var labels = new LabelImage(4, 5);
        labels[1, 1] = 3; labels[1, 2] = 3; labels[2, 2] = 3;
        labels[3, 4] = 7;
        using var targets = InstanceTargets.FromLabels(labels);
        Assert.Equal(2, targets.Count);
        Assert.Equal(new float[] { 1, 1, 3, 3, 4, 3, 5, 4 }, Values(targets.Boxes));
        Assert.Equal(3f, Values(targets.Masks[0]).Sum());
        Assert.Equal(1f, Values(targets.Masks[1])[3 * 5 + 4]);
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
