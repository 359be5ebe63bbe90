using Nuclei.Core.Imaging;
using Nuclei.Torch.Models;
using Nuclei.Torch.Models.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Models.Detection;

/// <summary>Mask R-CNN end to end on a tiny case: the summed loss is finite and falls while it learns two images of discs.</summary>
// calls libtorch directly (outside the product's FinalizerGate): runs alone, so no other test's
// allocations can let the finalizer free a temporary Scalar mid-call
[Collection("torch-training")]
public sealed class MaskRcnnTrainingTests
{
    private const int Size = 64;

    /// <summary>Bright discs on black (normalised to −1..1) and their label map.</summary>
    private static (float[] Planar, LabelImage Labels) Discs(params (int X, int Y, int R)[] discs)
    {
        var labels = new LabelImage(Size, Size);
        var planar = new float[3 * Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int i = y * Size + x;
                for (int k = 0; k < discs.Length; k++)
                    if ((x - discs[k].X) * (x - discs[k].X) + (y - discs[k].Y) * (y - discs[k].Y) <= discs[k].R * discs[k].R) labels.Data[i] = k + 1;
                for (int c = 0; c < 3; c++) planar[c * Size * Size + i] = labels.Data[i] > 0 ? 1f : -1f;
            }
        return (planar, labels);
    }

    private static MaskRcnn SmallNetwork(double scoreThreshold = 0.5)
    {
        var net = (MaskRcnn)ModelRegistry.Create("maskrcnn_resnet18_fpn");   // the architecture only: no ImageNet weights here
        net.Configure(new MaskRcnnSettings
        {
            RpnPreNmsTrain = 300, RpnPostNmsTrain = 300, RpnBatchPerImage = 64, BoxBatchPerImage = 64,
            RpnPreNmsTest = 300, RpnPostNmsTest = 300, ScoreThreshold = scoreThreshold, DetectionsPerImage = 30,
        });
        return net;
    }

    [Fact]
    public void Loss_is_finite_and_falls_over_thirty_steps_on_two_images_of_discs()
    {
        torch.manual_seed(7);
        var a = Discs((16, 16, 7), (40, 20, 9), (24, 46, 6));
        var b = Discs((48, 48, 8), (14, 40, 10));
        using var net = SmallNetwork();
        net.train();
        using var optimizer = optim.Adam(net.parameters(), lr: 1e-3);
        using var images = tensor(a.Planar.Concat(b.Planar).ToArray(), new long[] { 2, 3, Size, Size });
        using var targetA = InstanceTargets.FromLabels(a.Labels);
        using var targetB = InstanceTargets.FromLabels(b.Labels);
        var losses = new List<double>();
        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = net.Loss(images, [targetA, targetB]);
            losses.Add(loss.item<float>());
            loss.backward();
            optimizer.step();
        }
        Assert.All(losses, l => Assert.True(double.IsFinite(l), $"losses: {string.Join(", ", losses)}"));
        double first = losses.Take(3).Average(), last = losses.TakeLast(3).Average();
        Assert.True(last < 0.6 * first, $"loss fell from {first:0.000} to only {last:0.000}: {string.Join(", ", losses.Select(l => l.ToString("0.000")))}");
    }

    [Fact]
    public void Detections_are_in_the_image_and_a_batch_gives_one_list_per_image()
    {
        torch.manual_seed(8);
        using var net = SmallNetwork(scoreThreshold: 0);   // an untrained network is unsure of everything: keep all it finds
        net.eval();
        using var images = rand(2, 3, Size, Size);
        var found = net.Detect(images);
        Assert.Equal(2, found.Count);
        Assert.All(found, d => Assert.InRange(d.Count, 1, 30));
        net.Configure(net.Settings with { ScoreThreshold = 1.0 });   // nothing sure enough: empty lists, no error
        Assert.All(net.Detect(images), d => Assert.Empty(d));
        Assert.All(found.SelectMany(d => d), d =>
        {
            Assert.InRange(d.X1, 0, d.X2);
            Assert.InRange(d.Y2, d.Y1, Size);
            Assert.Equal(28 * 28, d.Mask.Length);
            Assert.All(d.Mask, p => Assert.InRange(p, 0f, 1f));
        });
    }
}
