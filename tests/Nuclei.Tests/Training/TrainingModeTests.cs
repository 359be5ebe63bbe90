using Nuclei.Torch.Models;
using Nuclei.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Training;

[Collection("torch-training")]
public class TrainingModeTests
{
    [Fact]
    public void Frozen_batch_norm_keeps_its_running_statistics_while_the_rest_trains()
    {
        using var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2 });
        var norms = net.modules().OfType<TorchSharp.Modules.BatchNorm>().ToList();
        Assert.NotEmpty(norms);
        using var before = norms[0].running_mean!.clone();

        TrainingMode.Set(net, freezeBatchNorm: true);
        Assert.True(net.training);
        Assert.All(norms, n => Assert.False(n.training));
        Assert.Contains(net.modules(), m => m is not TorchSharp.Modules.BatchNorm && m.training && !ReferenceEquals(m, net));
        using (var x = torch.rand(2, 3, 32, 32) * 5 + 3)
            net.forward(x).Dispose();
        Assert.True(norms[0].running_mean!.allclose(before, rtol: 0, atol: 0), "a frozen batch norm's running mean moved");

        TrainingMode.Set(net, freezeBatchNorm: false);
        Assert.All(norms, n => Assert.True(n.training));
        using (var x = torch.rand(2, 3, 32, 32) * 5 + 3)
            net.forward(x).Dispose();
        Assert.False(norms[0].running_mean!.allclose(before, rtol: 0, atol: 0), "a training batch norm's running mean did not move");
    }
}
