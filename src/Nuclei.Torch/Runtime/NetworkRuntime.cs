using Nuclei.Core;
using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Runtime;

/// <summary>What computes a network's forward pass at inference (<c>segment --runtime</c>); everything around it is the same code.</summary>
public enum NetworkRuntime
{
    /// <summary>TorchSharp (libtorch): the network as trained, batch norm folded, channels last (<see cref="InferenceNetwork"/>).</summary>
    Torch,
    /// <summary>ONNX Runtime on the CPU, or a GPU in a GPU build (<see cref="InferenceDevice"/>): the network exported in memory by <see cref="Export.OnnxExport"/> (float32 only).</summary>
    Onnx,
}

/// <summary>The one place the runtimes are registered, named and parsed.</summary>
internal static class NetworkRuntimes
{
    /// <summary>TorchSharp: the runtime the model card's figures were measured with.</summary>
    public const NetworkRuntime Default = NetworkRuntime.Torch;

    static readonly IReadOnlyDictionary<NetworkRuntime, INetworkRuntime> s_registered = new Dictionary<NetworkRuntime, INetworkRuntime>
    {
        [NetworkRuntime.Torch] = new TorchNetworkRuntime(),
        [NetworkRuntime.Onnx] = new OnnxNetworkRuntime(),
    };

    /// <summary>The names users give, in the enum's order ("torch", "onnx").</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<NetworkRuntime>().Select(NameOf).ToArray();

    public static string NameOf(NetworkRuntime r) => r.ToString().ToLowerInvariant();

    /// <summary>Parses a runtime's name; anything else is a <see cref="NucleiInputException"/> naming <paramref name="what"/> (the option).</summary>
    public static NetworkRuntime Parse(string text, string what)
    {
        foreach (var r in Enum.GetValues<NetworkRuntime>())
            if (NameOf(r) == text.Trim().ToLowerInvariant()) return r;
        throw new NucleiInputException(null, $"{what} must be one of {string.Join(", ", Names)}, got '{UntrustedText.Clean(text)}'");
    }

    /// <summary>The registered implementation; a value without one (a cast from an int) is an error, never another runtime.</summary>
    internal static INetworkRuntime Of(NetworkRuntime runtime) =>
        s_registered.TryGetValue(runtime, out var r) ? r
            : throw new ArgumentOutOfRangeException(nameof(runtime), runtime, $"no runtime is registered as {runtime}; the runtimes are {string.Join(", ", Names)}");
}
