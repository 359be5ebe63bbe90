using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The region proposal network over the pyramid (Ren et al. 2015, "Faster R-CNN" §3.1, with FPN's one anchor size per
/// level, Lin et al. 2017 §4.1; torchvision's RegionProposalNetwork): the head's objectness and deltas at every anchor,
/// decoded and filtered to proposals per image; in training also its loss, objectness BCE over a balanced sample of
/// anchors plus smooth-L1 (β = 1/9) on the positive anchors' deltas, both over the number sampled. Its temporaries
/// belong to the caller's dispose scope (<see cref="MaskRcnn"/> opens one per pass).
/// </summary>
internal sealed class RegionProposalNetwork : nn.Module
{
    private readonly RpnHead head;
    private readonly int _anchorsPerLocation;

    public static readonly double[] AspectRatios = [0.5, 1.0, 2.0];

    public RegionProposalNetwork(int channels) : base(nameof(RegionProposalNetwork))
    {
        _anchorsPerLocation = AspectRatios.Length;
        head = new RpnHead(channels, _anchorsPerLocation);
        RegisterComponents();
    }

    /// <summary>Per level, anchors [T_l, 4], objectness logits [N, T_l] and deltas [N, T_l, 4].</summary>
    private sealed record LevelOutputs(Tensor Anchors, Tensor Objectness, Tensor Deltas, long[] Counts);

    /// <summary>Proposals per image [P_n, 4] (no gradient), and the RPN loss when <paramref name="targets"/> are given.</summary>
    public (Tensor[] Proposals, Tensor? Loss) Propose(Tensor[] pyramid, long height, long width, MaskRcnnSettings s,
        IReadOnlyList<InstanceTargets>? targets)
    {
        var outputs = Run(pyramid, height, width, s);
        bool training = targets is not null;
        var proposals = new Tensor[pyramid[0].shape[0]];
        using (no_grad())
            for (int n = 0; n < proposals.Length; n++)
            {
                using var decoded = BoxCoder.Rpn.Decode(outputs.Deltas[n].detach(), outputs.Anchors);
                proposals[n] = ProposalFilter.Filter(decoded, outputs.Objectness[n].detach(), outputs.Counts,
                    training ? s.RpnPreNmsTrain : s.RpnPreNmsTest, training ? s.RpnPostNmsTrain : s.RpnPostNmsTest,
                    s.RpnNmsThreshold, height, width);
            }
        return (proposals, targets is null ? null : Loss(outputs, targets, s));
    }

    private LevelOutputs Run(Tensor[] pyramid, long height, long width, MaskRcnnSettings s)
    {
        var generator = new AnchorGenerator(s.AnchorSizes, AspectRatios);
        var anchors = generator.ForImage(height, width, pyramid.Select(p => (p.shape[2], p.shape[3])).ToList());
        var objectness = new List<Tensor>();
        var deltas = new List<Tensor>();
        foreach (var level in pyramid)
        {
            var (o, d) = head.forward(level);
            objectness.Add(RpnHead.Flatten(o, 1).squeeze(-1));
            deltas.Add(RpnHead.Flatten(d, 4));
        }
        return new LevelOutputs(cat(anchors, 0), cat(objectness, 1), cat(deltas, 1), anchors.Select(a => a.shape[0]).ToArray());
    }

    private Tensor Loss(LevelOutputs outputs, IReadOnlyList<InstanceTargets> targets, MaskRcnnSettings s)
    {
        var matcher = new Matcher(s.RpnForegroundIou, s.RpnBackgroundIou, allowLowQuality: true);
        var sampler = new BalancedSampler(s.RpnBatchPerImage, s.RpnPositiveFraction);
        var logits = new List<Tensor>();
        var labels = new List<Tensor>();
        var predicted = new List<Tensor>();
        var wanted = new List<Tensor>();
        for (int n = 0; n < targets.Count; n++)
        {
            var truth = targets[n].Boxes;
            var matches = matcher.Match(Boxes.Iou(truth, outputs.Anchors));
            var (pos, neg) = sampler.Sample(AnchorLabels(matches));
            var sampled = cat([pos, neg], 0);
            logits.Add(outputs.Objectness[n].index_select(0, sampled));
            labels.Add(cat([ones(pos.shape[0]), zeros(neg.shape[0])], 0));
            predicted.Add(outputs.Deltas[n].index_select(0, pos));
            wanted.Add(BoxCoder.Rpn.Encode(truth.index_select(0, matches.index_select(0, pos)), outputs.Anchors.index_select(0, pos)));
        }
        var allLogits = cat(logits, 0);
        var objectnessLoss = F.binary_cross_entropy_with_logits(allLogits, cat(labels, 0));
        var boxLoss = F.smooth_l1_loss(cat(predicted, 0), cat(wanted, 0), nn.Reduction.Sum, beta: 1.0 / 9) / Math.Max(1, allLogits.shape[0]);
        return objectnessLoss + boxLoss;
    }

    /// <summary>1 for a matched anchor, 0 for background, −1 for ignored (torchvision's assign_targets_to_anchors).</summary>
    private static Tensor AnchorLabels(Tensor matches)
    {
        var labels = (matches >= 0).to(ScalarType.Int64);
        return labels.masked_fill_(matches == Matcher.Ignored, -1);
    }
}
