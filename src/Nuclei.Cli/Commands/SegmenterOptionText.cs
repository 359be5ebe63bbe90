using System.Globalization;
using Nuclei.Core;
using Nuclei.Core.Settings;
using Nuclei.Core.Staining;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Runtime;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The library's option values (<see cref="SegmenterOptions"/>) from the words on the command line, shared by `segment`
/// and `serve` so both accept and refuse the same words; null text is an option left out, and errors name the option.
/// </summary>
internal static class SegmenterOptionText
{
    public static SegmentationMethod Method(string? text) => (text ?? "model").Trim().ToLowerInvariant() switch
    {
        "model" => SegmentationMethod.Model,
        "classical" => SegmentationMethod.Classical,
        _ => throw new NucleiInputException(null, $"--method must be model or classical, got '{text}'"),
    };

    public static IReadOnlyList<float>? Weights(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0
                ? w : throw new NucleiInputException(null, $"--weights: '{p}' is not a non-negative number")).ToList();
    }

    public static ComputePrecision? Precision(string? text) => text is null ? null : ComputePrecisions.Parse(text, Setting.Precision);

    public static NetworkRuntime? Runtime(string? text) => text is null ? null : NetworkRuntimes.Parse(text, "--runtime");

    public static InferenceDevice? Device(string? text) => text is null ? null : InferenceDevices.Parse(text, "--device");

    public static SizeMode? Mode(string? text) => text is null ? null : Enum<SizeMode>(text, "--mode");

    public static PadBorder? Border(string? text) => text is null ? null : Enum<PadBorder>(text, "--border");

    public static Stain? Stain(string? text) => text is null ? null : Stains.Parse(text, Setting.Stain);

    static T Enum<T>(string text, string option) where T : struct, Enum =>
        System.Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var v) && System.Enum.IsDefined(v)
            ? v
            : throw new NucleiInputException(null, $"{option} must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, got '{text}'");
}
