using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The second stage of Mask R-CNN (He et al. 2017; torchvision's RoIHeads) for one class, nucleus. Training: the
/// proposals plus the true boxes are matched to the nuclei (IoU ≥ 0.5 positive), a balanced sample is pooled (7×7) and
/// classified (cross-entropy) and its positives' boxes regressed (smooth-L1, β = 1/9, over the number sampled); the
/// positives are pooled again (14×14) and their 28×28 mask logits scored by BCE against the matched nucleus's mask
/// RoIAligned to the same box. Inference: box scores and refined boxes, score threshold, NMS, the best detections, and
/// their masks. Its temporaries belong to the caller's dispose scope (<see cref="MaskRcnn"/> opens one per pass).
/// </summary>
internal sealed class RoiHeads : nn.Module
{
    private const int Classes = 2;   // background, nucleus
    private const int Nucleus = 1;

    private readonly BoxHead box_head;
    private readonly MaskHead mask_head;

    public RoiHeads(int channels, int maskWidth) : base(nameof(RoiHeads))
    {
        box_head = new BoxHead(channels, Classes);
        mask_head = new MaskHead(channels, maskWidth, Classes);
        RegisterComponents();
    }

    /// <summary>The proposals of one training image chosen for the heads, with what they should predict.</summary>
    private sealed record Sample(Tensor Proposals, Tensor Labels, Tensor Positives, Tensor MatchedTruth);

    /// <summary>Box-head loss plus mask loss of a batch (<paramref name="maps"/>: P2…P5).</summary>
    public Tensor Loss(IReadOnlyList<Tensor> maps, Tensor[] proposals, IReadOnlyList<InstanceTargets> targets, MaskRcnnSettings s)
    {
        var samples = proposals.Select((p, n) => Choose(p, targets[n], s)).ToArray();
        var boxes = cat(samples.Select(x => x.Proposals).ToArray(), 0);
        var images = ImageIndex(samples.Select(x => x.Proposals.shape[0]));
        var (logits, deltas) = box_head.forward(MultiScaleRoiAlign.Pool(maps, boxes, images, BoxHead.PoolSize));
        var labels = cat(samples.Select(x => x.Labels).ToArray(), 0);
        var classification = F.cross_entropy(logits, labels);
        var regression = BoxRegressionLoss(deltas, samples, labels.shape[0], targets);
        return classification + regression + MaskLoss(maps, samples, targets);
    }

    /// <summary>torchvision's select_training_samples for one image.</summary>
    private static Sample Choose(Tensor proposals, InstanceTargets truth, MaskRcnnSettings s)
    {
        var candidates = cat([proposals, truth.Boxes], 0);
        var matches = new Matcher(s.BoxForegroundIou, s.BoxForegroundIou, allowLowQuality: false).Match(Boxes.Iou(truth.Boxes, candidates));
        var labels = (matches >= 0).to(ScalarType.Int64);
        var (pos, neg) = new BalancedSampler(s.BoxBatchPerImage, s.BoxPositiveFraction).Sample(labels);
        var chosen = cat([pos, neg], 0);
        var positives = arange(pos.shape[0], dtype: ScalarType.Int64);
        return new Sample(candidates.index_select(0, chosen), labels.index_select(0, chosen), positives, matches.index_select(0, pos));
    }

    /// <summary>Smooth-L1 between the nucleus class's deltas at the positives and those that reach their nuclei, over all sampled.</summary>
    private static Tensor BoxRegressionLoss(Tensor deltas, Sample[] samples, long sampled, IReadOnlyList<InstanceTargets> targets)
    {
        var predicted = new List<Tensor>();
        var wanted = new List<Tensor>();
        long offset = 0;
        for (int n = 0; n < samples.Length; n++)
        {
            var x = samples[n];
            var rows = x.Positives + offset;
            predicted.Add(deltas.index_select(0, rows)[.., (4 * Nucleus)..(4 * Nucleus + 4)]);
            wanted.Add(BoxCoder.BoxHead.Encode(targets[n].Boxes.index_select(0, x.MatchedTruth), x.Proposals.index_select(0, x.Positives)));
            offset += x.Proposals.shape[0];
        }
        return F.smooth_l1_loss(cat(predicted, 0), cat(wanted, 0), nn.Reduction.Sum, beta: 1.0 / 9) / Math.Max(1, sampled);
    }

    /// <summary>BCE of the positives' nucleus mask logits against each matched nucleus's mask cropped to the box and RoIAligned to 28×28.</summary>
    private Tensor MaskLoss(IReadOnlyList<Tensor> maps, Sample[] samples, IReadOnlyList<InstanceTargets> targets)
    {
        var boxes = cat(samples.Select(x => x.Proposals.index_select(0, x.Positives)).ToArray(), 0);
        if (boxes.shape[0] == 0) return zeros(1).sum();   // no positive RoI: no mask loss (torchvision: the logits' sum × 0)
        var images = ImageIndex(samples.Select(x => x.Positives.shape[0]));
        var logits = mask_head.forward(MultiScaleRoiAlign.Pool(maps, boxes, images, MaskHead.PoolSize))[.., Nucleus];
        var wanted = cat(samples.Select((x, n) => MaskTargets(x, targets[n])).ToArray(), 0);
        return F.binary_cross_entropy_with_logits(logits, wanted);
    }

    /// <summary>The matched nuclei's masks over the positive boxes, [P, 28, 28] (torchvision's project_masks_on_boxes).</summary>
    private static Tensor MaskTargets(Sample x, InstanceTargets truth)
    {
        var boxes = x.Proposals.index_select(0, x.Positives);
        var masks = truth.Masks.unsqueeze(1);
        return RoiAlign.Apply(masks, boxes, x.MatchedTruth, 1.0, MaskHead.MaskSize, sampling: 2).squeeze(1);
    }

    /// <summary>The image of each row when the images' rows are stacked: [Σ counts] int64.</summary>
    private static Tensor ImageIndex(IEnumerable<long> counts) =>
        cat(counts.Select((c, n) => full(c, n, dtype: ScalarType.Int64)).ToArray(), 0);

    /// <summary>The nuclei found in each image (<paramref name="proposals"/> per image), boxes in image pixels.</summary>
    public List<DetectedNucleus>[] Detect(IReadOnlyList<Tensor> maps, Tensor[] proposals, long height, long width, MaskRcnnSettings s)
    {
        var boxes = cat(proposals, 0);
        var images = ImageIndex(proposals.Select(p => p.shape[0]));
        var (logits, deltas) = box_head.forward(MultiScaleRoiAlign.Pool(maps, boxes, images, BoxHead.PoolSize));
        var scores = logits.softmax(1)[.., Nucleus];
        var refined = Boxes.Clip(BoxCoder.BoxHead.Decode(deltas[.., (4 * Nucleus)..(4 * Nucleus + 4)], boxes), height, width);
        var result = new List<DetectedNucleus>[proposals.Length];
        for (int n = 0; n < proposals.Length; n++)
        {
            var rows = (images == n).nonzero().flatten();
            var (kept, keptScores) = BestBoxes(refined.index_select(0, rows), scores.index_select(0, rows), s);
            result[n] = WithMasks(maps, kept, keptScores, n);
        }
        return result;
    }

    /// <summary>
    /// torchvision's postprocess_detections for one class: score threshold, tiny boxes out, NMS, the best few. The label
    /// map's score threshold applies here too: NMS only ever removes lower-scoring boxes, so dropping those first leaves
    /// the painted nuclei as they are and spares the mask head hundreds of RoIs on an image it is unsure of.
    /// </summary>
    private static (Tensor Boxes, Tensor Scores) BestBoxes(Tensor boxes, Tensor scores, MaskRcnnSettings s)
    {
        var confident = (scores >= Math.Max(s.BoxScoreThreshold, s.ScoreThreshold)).nonzero().flatten();
        boxes = boxes.index_select(0, confident);
        scores = scores.index_select(0, confident);
        var large = Boxes.IndicesOfLarge(boxes, 1e-2);
        boxes = boxes.index_select(0, large);
        scores = scores.index_select(0, large);
        var kept = NonMaximumSuppression.Apply(boxes, scores, s.BoxNmsThreshold, s.DetectionsPerImage);
        return (boxes.index_select(0, kept), scores.index_select(0, kept));
    }

    private List<DetectedNucleus> WithMasks(IReadOnlyList<Tensor> maps, Tensor boxes, Tensor scores, int image)
    {
        long count = boxes.shape[0];
        if (count == 0) return [];
        var index = full(count, image, dtype: ScalarType.Int64);
        var probabilities = mask_head.forward(MultiScaleRoiAlign.Pool(maps, boxes, index, MaskHead.PoolSize))[.., Nucleus].sigmoid();
        float[] b = boxes.contiguous().data<float>().ToArray();
        float[] sc = scores.contiguous().data<float>().ToArray();
        float[] m = probabilities.contiguous().data<float>().ToArray();
        const int plane = MaskHead.MaskSize * MaskHead.MaskSize;
        return Enumerable.Range(0, (int)count)
            .Select(k => new DetectedNucleus(b[4 * k], b[4 * k + 1], b[4 * k + 2], b[4 * k + 3], sc[k], m.AsSpan(k * plane, plane).ToArray(), MaskHead.MaskSize))
            .ToList();
    }
}
