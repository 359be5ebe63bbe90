using Nuclei.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;

namespace Nuclei.Torch.Training;

/// <summary>
/// Adam or SGD over the network's parameters; with [train] encoder_lr_ratio ≠ 1 the encoder's parameters form a group
/// of their own, whose learning rate is the run's rate times that ratio.
/// </summary>
internal sealed class TrainingOptimizer : IDisposable
{
    readonly OptimizerHelper _optimizer;
    readonly double[] _ratios;

    public TrainingOptimizer(SegmentationNet net, TrainingOptions opt)
    {
        var groups = Groups(net, opt);
        _optimizer = opt.Optimizer == "sgd"
            ? torch.optim.SGD(groups.Select(g => new SGD.ParamGroup(g.Params, new SGD.Options { LearningRate = opt.LearningRate * g.Ratio, momentum = opt.Momentum, weight_decay = opt.WeightDecay })), opt.LearningRate, opt.Momentum, weight_decay: opt.WeightDecay)
            : torch.optim.Adam(groups.Select(g => new Adam.ParamGroup(g.Params, new Adam.Options { LearningRate = opt.LearningRate * g.Ratio, weight_decay = opt.WeightDecay })), opt.LearningRate, weight_decay: opt.WeightDecay);
        _ratios = groups.Select(g => g.Ratio).ToArray();
    }

    static List<(List<Parameter> Params, double Ratio)> Groups(SegmentationNet net, TrainingOptions opt)
    {
        var all = net.parameters().ToList();
        if (opt.EncoderLrRatio == 1 || net is not MultiHeadUNet u) return [(all, 1.0)];
        var encoder = u.Encoder.parameters().ToHashSet(ReferenceEqualityComparer.Instance);
        return [(all.Where(p => encoder.Contains(p)).ToList(), opt.EncoderLrRatio), (all.Where(p => !encoder.Contains(p)).ToList(), 1.0)];
    }

    public void ZeroGrad() => _optimizer.zero_grad();

    /// <summary>One update at learning rate <paramref name="lr"/> (times each group's ratio), then the gradients cleared.</summary>
    public void Step(double lr)
    {
        int gi = 0;
        foreach (var g in _optimizer.ParamGroups) g.LearningRate = lr * _ratios[gi++];
        _optimizer.step();
        _optimizer.zero_grad();
    }

    public byte[] SaveState()
    {
        using var ms = new MemoryStream();
        using (var bw = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true)) _optimizer.save_state_dict(bw);
        return ms.ToArray();
    }

    public void LoadState(byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        _optimizer.load_state_dict(reader);
    }

    public void Dispose() => _optimizer.Dispose();
}
