using Nuclei.Core.Imaging;
using Nuclei.Core.Targets;
using Nuclei.Torch.Losses;
using Nuclei.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models;

/// <summary>End to end on one synthetic image: targets from labels, a tiny camunet, samuelschen/DSB2018's loss, Adam.</summary>
// alone: it sets libtorch's process-wide thread count and seeds its process-wide generator
[Collection("torch-training")]
public class OverfitTests
{
    private const int Size = 32;

    /// <summary>Three bright discs on a dark background, two of them touching.</summary>
    private static (float[] Image, LabelImage Labels) SyntheticImage()
    {
        var labels = new LabelImage(Size, Size);
        (int cy, int cx, int r)[] discs = [(9, 9, 5), (9, 18, 5), (23, 21, 6)];
        for (int k = 0; k < discs.Length; k++)
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    var (cy, cx, r) = discs[k];
                    if ((y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r && labels[y, x] == 0) labels[y, x] = k + 1;
                }
        var rng = new Random(3);
        var image = new float[3 * Size * Size];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < Size * Size; i++)
                image[c * Size * Size + i] = (labels.Data[i] > 0 ? 0.8f : 0.1f) + 0.05f * (float)rng.NextDouble();
        return (image, labels);
    }

    [Fact]
    public void TinyCamunetOverfitsOneImage()
    {
        // Tiny tensors gain nothing from intra-op threads, and on a loaded machine two OpenMP threads waiting for
        // each other make each step 50× slower; one thread keeps this test at a few seconds.
        int threads = get_num_threads();
        set_num_threads(1);
        try { Overfit(); }
        finally { set_num_threads(threads); }
    }

    private static void Overfit()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var (image, labels) = SyntheticImage();
        var t = TargetBuilder.Build(labels, new TargetOptions { Maps = TargetMaps.Semantic | TargetMaps.Contour | TargetMaps.Marker });
        var x = tensor(image).reshape(1, 3, Size, Size);
        var y = stack([tensor(t.Semantic!), tensor(t.Contour!), tensor(t.Marker!)]).reshape(1, 3, Size, Size);

        using var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2, Dropout = 0 });
        var loss = new MultiHeadLoss([LossFactory.Create("iou+bce")], [1.0, 1.0, 1.0]);
        using var optimizer = optim.Adam(net.parameters(), 0.02);
        net.train();
        for (int step = 0; step < 150; step++)
        {
            using var s = NewDisposeScope();
            optimizer.zero_grad();
            var (total, _) = loss.Compute(net.forward(x), y);
            total.backward();
            optimizer.step();
        }
        net.eval();
        using var _ = no_grad();
        var predicted = net.forward(x).sigmoid().gt(0.5);
        double Iou(int head)
        {
            var p = predicted[0, head];
            var truth = y[0, head].gt(0.5);
            double inter = p.logical_and(truth).sum().item<long>();
            double union = p.logical_or(truth).sum().item<long>();
            return inter / union;
        }
        Assert.True(Iou(0) > 0.95, $"semantic IoU {Iou(0):F3}");
        Assert.True(Iou(2) > 0.8, $"marker IoU {Iou(2):F3}");
    }
}
