using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Torch.Runtime;

/// <summary>
/// Keeps training off a fault of oneDNN (libtorch's CPU convolution library) on some CPUs: on an AMD EPYC Zen 5 the
/// input gradient of a 3×3 (or larger) convolution whose output channels are not a multiple of 16 comes out wrong,
/// read in part from memory the kernel never wrote (off by 0.4-3.9 against libtorch's native kernels and float64,
/// and NaN whenever that memory held NaN; weight gradients, 1×1 convolutions and multiples of 16 are right, and so were
/// the forward passes probed, yet a 4-wide network's forward maps came out NaN now and then; bench/Nuclei.Bench
/// onednn-probe shows each case). Standard networks of this project use multiples of 16,
/// narrow ones (a base width of 4 or 8) do not: those always train and predict on libtorch's native convolutions
/// (libtorch's <c>torch.backends.mkldnn.enabled = False</c> while they compute), slower but right. Always, not only
/// where a check of the CPU finds the fault: the wrong values come from whatever the heap held, so a check passes or
/// fails with the heap's contents (it missed the fault in one of this project's CI runs); narrow networks are small.
/// </summary>
internal static class OneDnnConvolutions
{
    /// <summary>
    /// For a network with a convolution the fault bites: oneDNN off until the returned scope is disposed, said through
    /// <paramref name="info"/>; otherwise nothing changes.
    /// </summary>
    public static IDisposable AvoidForNarrow(nn.Module net, Action<string> info) => AvoidForNarrow(ExposedLayers(net), info);

    /// <summary>
    /// <paramref name="forward"/> itself, or for a network with <paramref name="exposedLayers"/>, a
    /// forward pass that runs on libtorch's native convolutions (garbage read there can reach forward passes too: NaN maps
    /// of a network 4 channels wide now and then).
    /// </summary>
    public static Func<Tensor, Tensor> Guarded(Func<Tensor, Tensor> forward, int exposedLayers) =>
        exposedLayers == 0 || !LibTorchContext.Available ? forward : x =>
        {
            using var scope = Off();
            return forward(x);
        };

    /// <summary>oneDNN off until the returned scope is disposed (counted with every other scope, on any thread).</summary>
    internal static IDisposable Off() => new Scope();

    static IDisposable AvoidForNarrow(int exposed, Action<string> info)
    {
        if (exposed == 0 || !LibTorchContext.Available) return NoScope.Instance;
        info($"this network has {exposed} convolution(s) wider than 1×1 whose output channels are not a multiple of 16, whose input gradients oneDNN computes wrong on some CPUs (an AMD EPYC Zen 5): it trains on libtorch's native convolutions (slower)");
        return Off();
    }

    /// <summary>Convolutions (weight [out, in, kh, kw]) wider than 1×1 with output channels not a multiple of 16.</summary>
    internal static int ExposedLayers(nn.Module net) => net.modules().OfType<TorchSharp.Modules.Conv2d>()
        .Count(c => c.weight is { } w && w.shape[0] % 16 != 0 && (w.shape[2] > 1 || w.shape[3] > 1));

    /// <summary>
    /// Whether oneDNN gets one small case wrong on this CPU (the tests and the probe ask), three times: oneDNN's float32 input gradient against float64 (which libtorch computes natively),
    /// each time after NaN-filled blocks were freed, so that a kernel reading memory it did not write reads NaN rather
    /// than whatever harmless values the heap held (which would hide the fault).
    /// </summary>
    internal static bool InputGradientIsWrong()
    {
        using var scope = NewDisposeScope();
        using var gate = FinalizerGate.Enter();
        using var grad = enable_grad();   // whatever the calling thread's mode
        var generator = new Generator(0);
        var x = rand(new long[] { 2, 8, 16, 16 }, generator: generator);
        var w = rand(new long[] { 8, 8, 3, 3 }, generator: generator) - 0.5;
        Tensor InputGradient(ScalarType type)
        {
            var xi = x.to(type).detach().clone().requires_grad_(true);   // a leaf of its own, which keeps its gradient
            nn.functional.conv2d(xi, w.to(type), padding: [1, 1]).square().sum().backward();
            return xi.grad!.to(ScalarType.Float64);
        }
        var exact = InputGradient(ScalarType.Float64);
        double size = exact.abs().max().item<double>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            foreach (long n in new long[] { 1 << 12, 1 << 14, 1 << 16 })
                using (full(new[] { n }, float.NaN)) { }
            double error = (InputGradient(ScalarType.Float32) - exact).abs().max().item<double>();
            if (!(error <= 1e-4 * Math.Max(1, size))) return true;
        }
        return false;
    }

    static readonly object Sync = new();
    static int _scopes;
    static bool _before;

    /// <summary>
    /// oneDNN off while at least one scope is open, on any thread (the switch is the process's: other networks computing
    /// meanwhile use the native kernels too, slower but right), and back as it was when the last one closes.
    /// </summary>
    sealed class Scope : IDisposable
    {
        bool _done;

        public Scope()
        {
            lock (Sync)
                if (_scopes++ == 0)
                {
                    _before = LibTorchContext.MkldnnEnabled;
                    LibTorchContext.MkldnnEnabled = false;
                }
        }

        public void Dispose()
        {
            lock (Sync)
            {
                if (_done) return;
                _done = true;
                if (--_scopes == 0) LibTorchContext.MkldnnEnabled = _before;
            }
        }
    }

    sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();
        public void Dispose() { }
    }
}
