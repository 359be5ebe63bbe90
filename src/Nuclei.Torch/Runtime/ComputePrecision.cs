using Nuclei.Core;
using Nuclei.Core.Settings;
using static TorchSharp.torch;

namespace Nuclei.Torch.Runtime;

/// <summary>
/// The number format a network computes in. bfloat16 keeps float32's exponent with an 8-bit mantissa; on CPUs with
/// bfloat16 matrix instructions (Intel AMX, AVX-512 BF16) libtorch's oneDNN convolutions run several times faster in it.
/// Elsewhere it is emulated and slower, which is what <see cref="ComputePrecision.Auto"/> avoids.
/// </summary>
public enum ComputePrecision
{
    /// <summary>float32 throughout.</summary>
    Fp32,
    /// <summary>bfloat16 convolutions and activations (weights kept in float32 where they are trained).</summary>
    Bf16,
    /// <summary>bf16 when this CPU has bfloat16 instructions (<see cref="ComputePrecisions.CpuHasBFloat16"/>), else fp32.</summary>
    Auto,
}

/// <summary>The one place the precision names are read and <see cref="ComputePrecision.Auto"/> is settled.</summary>
internal static class ComputePrecisions
{
    // in the enum's value order, so a name's index is its value
    static readonly string[] s_names = Enum.GetNames<ComputePrecision>().Select(n => n.ToLowerInvariant()).ToArray();

    public static IReadOnlyList<string> Names => s_names;

    /// <summary>
    /// Inference's precision when none is asked for: float32, so that a model gives the same nuclei on every machine
    /// and its model card's figures hold; bf16 is asked for by name (`--precision bf16|auto`).
    /// </summary>
    public const ComputePrecision Default = ComputePrecision.Fp32;

    /// <summary>
    /// Parses fp32, bf16 or auto; anything else is a <see cref="NucleiInputException"/> naming <paramref name="setting"/>,
    /// kept a setting so that each front end names it its own way (a flag, a field).
    /// </summary>
    public static ComputePrecision Parse(string text, Setting setting) => Parse(text, SettingMessage.Of($"{setting}"));

    /// <summary>
    /// As <see cref="Parse(string, Setting)"/> for a value no front end sets by name, e.g. a configuration file's key
    /// (<c>[train] precision</c>), which reads the same everywhere.
    /// </summary>
    public static ComputePrecision Parse(string text, SettingMessage what)
    {
        int i = Array.IndexOf(s_names, text.Trim().ToLowerInvariant());
        return i >= 0 ? (ComputePrecision)i
            : throw new NucleiInputException(null, $"{what} must be one of {string.Join(", ", Names)}, got '{UntrustedText.Clean(text)}'");
    }

    /// <summary>fp32 or bf16: <see cref="ComputePrecision.Auto"/> becomes bf16 on CPUs with bfloat16 instructions.</summary>
    public static ComputePrecision Resolve(ComputePrecision p) =>
        p != ComputePrecision.Auto ? p : CpuHasBFloat16.Value ? ComputePrecision.Bf16 : ComputePrecision.Fp32;

    /// <summary>The tensor type of a resolved precision.</summary>
    public static ScalarType ScalarTypeOf(ComputePrecision p) => Resolve(p) == ComputePrecision.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;

    /// <summary>Whether the CPU flags (Linux /proc/cpuinfo) include AMX-BF16 or AVX512-BF16, which oneDNN uses for bfloat16.</summary>
    public static readonly Lazy<bool> CpuHasBFloat16 = new(() =>
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").Where(l => l.StartsWith("flags", StringComparison.Ordinal)).Take(1)
                .Any(l => l.Split(' ', '\t').Any(f => f is "amx_bf16" or "avx512_bf16"));
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    });
}
