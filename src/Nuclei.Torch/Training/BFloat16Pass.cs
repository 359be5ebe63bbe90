using Nuclei.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>
/// A training network's forward and backward pass in bfloat16, its weights, optimizer state, validation and checkpoints
/// in float32: mixed precision with float32 master weights (Micikevicius et al. 2018, "Mixed Precision Training";
/// bfloat16 has float32's exponent range, so no loss scaling: Kalamkar et al. 2019, "A Study of BFLOAT16 for Deep
/// Learning Training"). TorchSharp has no autocast, so a bfloat16 copy of the network does the pass: before it the copy
/// takes the master's weights and batch-norm statistics, after the forward the master takes the copy's updated
/// statistics, and after the backward its gradients (as float32).
/// </summary>
internal sealed class BFloat16Pass : IDisposable
{
    readonly SegmentationNet _copy;
    readonly (Tensor Master, Tensor Copy)[] _weights, _statistics;

    /// <param name="master">the network trained (float32)</param>
    /// <param name="sameArchitecture">a new network of the master's architecture and options (its weights are overwritten)</param>
    /// <param name="freezeBatchNorm">the copy's batch-norm layers stay in evaluation mode (<see cref="TrainingMode"/>)</param>
    public BFloat16Pass(SegmentationNet master, Func<SegmentationNet> sameArchitecture, bool freezeBatchNorm = false)
    {
        _copy = sameArchitecture();
        try
        {
            _copy.to(ScalarType.BFloat16);
            TrainingMode.Set(_copy, freezeBatchNorm);
            _weights = Pairs(master.parameters(), _copy.parameters(), "parameters");
            _statistics = Pairs(master.buffers(), _copy.buffers(), "buffers");
        }
        catch
        {
            _copy.Dispose();
            throw;
        }
    }

    static (Tensor, Tensor)[] Pairs(IEnumerable<Tensor> master, IEnumerable<Tensor> copy, string what)
    {
        var m = master.ToArray();
        var c = copy.ToArray();
        if (m.Length != c.Length || m.Zip(c).Any(p => !p.First.shape.SequenceEqual(p.Second.shape)))
            throw new InvalidOperationException($"the bfloat16 copy's {what} do not match the network's");
        return m.Zip(c).ToArray();
    }

    /// <summary>Float32 logits of a float32 batch, computed in bfloat16 (the graph runs through the copy).</summary>
    public Tensor Forward(Tensor x)
    {
        using (no_grad())
        {
            foreach (var (m, c) in _weights) c.copy_(m);
            foreach (var (m, c) in _statistics) c.copy_(m);
        }
        using var input = x.to(ScalarType.BFloat16);
        using var logits = _copy.forward(input);
        using (no_grad())
            foreach (var (m, c) in _statistics) m.copy_(c);   // batch norm's running statistics, updated by this pass
        return logits.to(ScalarType.Float32);
    }

    /// <summary>After the backward pass: the copy's gradients added to the master's (as float32), the copy's cleared.</summary>
    public void TakeGradients()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (m, c) in _weights)
        {
            var g = c.grad;
            if (g is null) continue;
            var master = m.grad;
            if (master is null) m.grad = g.to(ScalarType.Float32);
            else master.add_(g);
            g.zero_();
        }
    }

    public void Dispose() => _copy.Dispose();
}
