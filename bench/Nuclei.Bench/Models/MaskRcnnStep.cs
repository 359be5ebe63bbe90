using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Torch.Models;
using Nuclei.Torch.Models.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Bench.Models;

/// <summary>
/// Where a Mask R-CNN training step spends its time: the whole step (loss, backward, Adam) on synthetic 256² crops of
/// touching discs, then its parts alone at the sizes such a step gives them (RoIAlign for the box and mask heads, each
/// head, NMS over the RPN's candidates), forward and backward. Prints milliseconds per step or per call and crops/s.
/// Usage: maskrcnn-step [--batch 10] [--size 256] [--nuclei 40] [--steps 3] [--threads N] [KEY=VALUE of [maskrcnn] ...]
/// </summary>
public static class MaskRcnnStep
{
    public static int Run(string[] args)
    {
        int batch = Arg(args, "--batch", 10), size = Arg(args, "--size", 256), nuclei = Arg(args, "--nuclei", 40);
        int steps = Arg(args, "--steps", 3), threads = Arg(args, "--threads", 0);
        if (threads > 0) torch.set_num_threads(threads);
        var settings = WithOverrides(new MaskRcnnSettings(), args.Where(a => a.Contains('=')));
        Console.WriteLine($"# maskrcnn_resnet18_fpn, libtorch threads={torch.get_num_threads()}, batch {batch} of {size}², {nuclei} nuclei per crop; " +
                          $"box_batch_per_image {settings.BoxBatchPerImage}, box_positive_fraction {settings.BoxPositiveFraction}, rpn_post_nms_top_n_train {settings.RpnPostNmsTrain}");
        torch.manual_seed(0);
        double step = WholeStep(batch, size, nuclei, steps, settings);
        Console.WriteLine($"whole step\t{step:F0} ms\t{batch * 1000.0 / step:F2} crops/s");
        Phases(batch, size, nuclei, steps, settings);
        int boxRois = batch * settings.BoxBatchPerImage;
        int maskRois = (int)(boxRois * settings.BoxPositiveFraction);
        Part($"RoIAlign 7x7, {boxRois} boxes", steps, () => RoiAlignCall(batch, size, boxRois, BoxHead.PoolSize));
        Part($"RoIAlign 14x14, {maskRois} boxes", steps, () => RoiAlignCall(batch, size, maskRois, MaskHead.PoolSize));
        using var boxHead = new BoxHead(MaskRcnn.PyramidChannels, 2);
        Part($"box head, {boxRois} RoIs", steps, () => { var (l, d) = boxHead.forward(rand(boxRois, MaskRcnn.PyramidChannels, 7, 7)); (l.sum() + d.sum()).backward(); });
        using var maskHead = new MaskHead(MaskRcnn.PyramidChannels, MaskRcnn.MaskHeadWidth, 2);
        Part($"mask head, {maskRois} RoIs", steps, () => maskHead.forward(rand(maskRois, MaskRcnn.PyramidChannels, 14, 14)).sum().backward());
        Part($"NMS, {5 * settings.RpnPreNmsTrain} boxes", steps, () => NonMaximumSuppression.Apply(RandomBoxes(5 * settings.RpnPreNmsTrain, size), rand(5 * settings.RpnPreNmsTrain), 0.7));
        return 0;
    }

    private static double WholeStep(int batch, int size, int nuclei, int steps, MaskRcnnSettings settings)
    {
        using var net = (MaskRcnn)ModelRegistry.Create("maskrcnn_resnet18_fpn", new ModelOptions());
        net.Configure(settings);
        net.train();
        using var optimizer = torch.optim.Adam(net.parameters(), 1e-4);
        var labels = Enumerable.Range(0, batch).Select(i => Discs(size, nuclei, new Random(i))).ToArray();
        var times = new List<double>();
        for (int i = 0; i <= steps; i++)
        {
            var sw = Stopwatch.StartNew();
            using (NewDisposeScope())
            {
                var targets = labels.Select(InstanceTargets.FromLabels).ToList();
                optimizer.zero_grad();
                net.Loss(rand(batch, 3, size, size), targets).backward();
                optimizer.step();
                foreach (var t in targets) t.Dispose();
            }
            Console.Error.WriteLine($"  whole step {i}{(i == 0 ? " (warm-up)" : "")}: {sw.Elapsed.TotalMilliseconds:F0} ms");
            if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return times.Min();   // the least disturbed by other processes
    }

    /// <summary>The forward pass of a step in its stages (each on the previous one's output), and the backward pass of all.</summary>
    private static void Phases(int batch, int size, int nuclei, int steps, MaskRcnnSettings settings)
    {
        using var encoder = MlNetResNet18.CreateEncoder(3, stages: 4);
        using var fpn = new FeaturePyramid(encoder.SkipChannels.Skip(2).Append(encoder.BottleneckChannels).ToArray(), MaskRcnn.PyramidChannels);
        using var rpn = new RegionProposalNetwork(MaskRcnn.PyramidChannels);
        using var heads = new RoiHeads(MaskRcnn.PyramidChannels, MaskRcnn.MaskHeadWidth);
        var labels = Enumerable.Range(0, batch).Select(i => Discs(size, nuclei, new Random(i))).ToArray();
        var names = new[] { "targets", "encoder + FPN", "RPN (proposals, loss)", "RoI heads (loss)", "backward" };
        var best = Enumerable.Repeat(double.MaxValue, names.Length).ToArray();
        for (int i = 0; i <= steps; i++)
        {
            using var scope = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            var lap = new double[names.Length];
            void Lap(int phase) { lap[phase] = sw.Elapsed.TotalMilliseconds; sw.Restart(); }
            var targets = labels.Select(InstanceTargets.FromLabels).ToList(); Lap(0);
            var stages = encoder.forward(rand(batch, 3, size, size));
            var pyramid = fpn.forward(stages[2..].Select(t => t!).ToArray()); Lap(1);
            var (proposals, rpnLoss) = rpn.Propose(pyramid, size, size, settings, targets); Lap(2);
            var loss = rpnLoss! + heads.Loss(pyramid[..4], proposals, targets, settings); Lap(3);
            loss.backward(); Lap(4);
            if (i > 0) for (int p = 0; p < names.Length; p++) best[p] = Math.Min(best[p], lap[p]);
            foreach (var t in targets) t.Dispose();
        }
        for (int p = 0; p < names.Length; p++) Console.WriteLine($"  phase: {names[p]}\t{best[p]:F0} ms");
    }

    private static void RoiAlignCall(int batch, int size, int boxes, int output)
    {
        var map = rand(batch, MaskRcnn.PyramidChannels, size / 4, size / 4).requires_grad_();
        var index = randint(0, batch, boxes, dtype: ScalarType.Int64);
        MultiScaleRoiAlign.Pool([map], RandomBoxes(boxes, size), index, output).sum().backward();
    }

    /// <summary>Boxes 6-40 px across inside a size² image: [n, 4].</summary>
    private static Tensor RandomBoxes(int n, int size)
    {
        var xy = rand(n, 2) * (size - 40);
        var wh = rand(n, 2) * 34 + 6;
        return cat([xy, xy + wh], 1);
    }

    private static void Part(string name, int repeats, Action call)
    {
        var times = new List<double>();
        for (int i = 0; i <= repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            using (NewDisposeScope()) call();
            if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"{name}\t{times.Min():F0} ms (forward and backward)");
    }

    /// <summary>A label map of up to <paramref name="nuclei"/> discs of radius 4-13 px, later ones cut by earlier ones.</summary>
    private static LabelImage Discs(int size, int nuclei, Random rng)
    {
        var labels = new LabelImage(size, size);
        for (int k = 1; k <= nuclei; k++)
        {
            int cy = rng.Next(size), cx = rng.Next(size), r = rng.Next(4, 14);
            for (int y = Math.Max(0, cy - r); y < Math.Min(size, cy + r + 1); y++)
                for (int x = Math.Max(0, cx - r); x < Math.Min(size, cx + r + 1); x++)
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r && labels[y, x] == 0) labels[y, x] = k;
        }
        return labels;
    }

    private static MaskRcnnSettings WithOverrides(MaskRcnnSettings s, IEnumerable<string> pairs)
    {
        foreach (var pair in pairs)
        {
            var (key, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            s = key switch
            {
                "box_batch_per_image" => s with { BoxBatchPerImage = int.Parse(value) },
                "box_positive_fraction" => s with { BoxPositiveFraction = double.Parse(value) },
                "rpn_post_nms_top_n_train" => s with { RpnPostNmsTrain = int.Parse(value) },
                "rpn_pre_nms_top_n_train" => s with { RpnPreNmsTrain = int.Parse(value) },
                "rpn_batch_per_image" => s with { RpnBatchPerImage = int.Parse(value) },
                _ => throw new ArgumentException($"maskrcnn-step: unknown setting {key}"),
            };
        }
        return s;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
