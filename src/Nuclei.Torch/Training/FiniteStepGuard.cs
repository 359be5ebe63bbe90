using Nuclei.Torch.Models;
using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>
/// Keeps non-finite numbers away from the weights. A step whose loss is not finite gets no backward pass; an update whose
/// summed gradients are not finite is dropped; either way the batch-norm statistics that step's forward pass moved are
/// put back, so the network is exactly as it was before the step. Each skipped step is reported with its images and
/// counted; past <c>[train] max_nonfinite_steps</c> the run stops with a <see cref="TrainingFailedException"/> (the
/// checkpoints written before stay as they are).
/// </summary>
internal sealed class FiniteStepGuard : IDisposable
{
    readonly Tensor[] _parameters;
    readonly (Tensor Live, Tensor Saved)[] _statistics;
    readonly int _limit;
    readonly Action<string> _warn;

    /// <param name="net">the network whose weights are trained (the float32 master in a bfloat16 run)</param>
    /// <param name="limit">skipped steps allowed in a run before it stops</param>
    public FiniteStepGuard(SegmentationNet net, int limit, Action<string> warn)
    {
        _parameters = net.parameters().Cast<Tensor>().ToArray();
        using var noGrad = no_grad();
        _statistics = net.buffers().Where(b => b.is_floating_point()).Select(b => (b, b.detach().clone())).ToArray();
        _limit = limit;
        _warn = warn;
    }

    /// <summary>Steps skipped so far in this run (this invocation).</summary>
    public int Skipped { get; private set; }

    /// <summary>Before a forward pass: the statistics it may move, saved.</summary>
    public void Remember()
    {
        using var noGrad = no_grad();
        foreach (var (live, saved) in _statistics) saved.copy_(live);
    }

    /// <summary>Whether every parameter's gradient is finite (one sum of absolute values, so a single read).</summary>
    public bool GradientsAreFinite()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor? total = null;
        foreach (var p in _parameters)
        {
            var g = p.grad;
            if (g is null) continue;
            var s = g.abs().sum(type: ScalarType.Float64);
            total = total is null ? s : total.add_(s);
        }
        return total is null || total.isfinite().item<bool>();
    }

    /// <summary>The step is dropped: statistics restored, reported, counted; past the limit the run stops.</summary>
    /// <param name="what">what was not finite, e.g. "the loss (heads: contour NaN)"</param>
    public void Skip(int epoch, int step, string what, IEnumerable<string> imageIds)
    {
        Restore();
        Skipped++;
        string message = $"epoch {epoch}, step {step + 1}: {what} is not finite, so the step was skipped and the weights are unchanged (images: {string.Join(", ", imageIds.Distinct())})";
        _warn(message);
        if (Skipped > _limit)
            throw new TrainingFailedException($"{Skipped} training steps had a non-finite loss or gradient, more than [train] max_nonfinite_steps = {_limit}; the last: {message}. The checkpoints written before are kept");
    }

    void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (live, saved) in _statistics) live.copy_(saved);
    }

    /// <summary>Whether every weight and statistic of <paramref name="net"/> is finite.</summary>
    public static bool WeightsAreFinite(SegmentationNet net)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return net.parameters().Cast<Tensor>().Concat(net.buffers().Where(b => b.is_floating_point()))
            .All(t => t.isfinite().all().item<bool>());
    }

    public void Dispose()
    {
        foreach (var (_, saved) in _statistics) saved.Dispose();
    }
}
