using Nuclei.Core;

namespace Nuclei.Torch.Runtime;

/// <summary>Where a network's forward pass runs at inference (<c>segment --device</c>).</summary>
public enum InferenceDevice
{
    /// <summary>A GPU where the runtime, the build and the machine offer one (ONNX Runtime's CUDA provider), else the CPU, saying why.</summary>
    Auto,
    /// <summary>The CPU, whatever else the machine has.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through ONNX Runtime's CUDA provider; an error where it cannot be had.</summary>
    Cuda,
}

/// <summary>The one place the device names are read.</summary>
internal static class InferenceDevices
{
    /// <summary>auto: a GPU build on a GPU machine uses it, everything else runs on the CPU as before.</summary>
    public const InferenceDevice Default = InferenceDevice.Auto;

    /// <summary>The names users give, in the enum's order ("auto", "cpu", "cuda").</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<InferenceDevice>().Select(NameOf).ToArray();

    public static string NameOf(InferenceDevice d) => d.ToString().ToLowerInvariant();

    /// <summary>Parses a device's name; anything else is a <see cref="NucleiInputException"/> naming <paramref name="what"/> (the option).</summary>
    public static InferenceDevice Parse(string text, string what)
    {
        foreach (var d in Enum.GetValues<InferenceDevice>())
            if (NameOf(d) == text.Trim().ToLowerInvariant()) return d;
        throw new NucleiInputException(null, $"{what} must be one of {string.Join(", ", Names)}, got '{UntrustedText.Clean(text)}'");
    }
}
