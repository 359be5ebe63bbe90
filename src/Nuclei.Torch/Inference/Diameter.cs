using System.Globalization;
using Nuclei.Core;
using Nuclei.Core.Settings;

namespace Nuclei.Torch.Inference;

/// <summary>
/// The nucleus diameter of the user's images, so they can be rescaled to the scale the model was trained at
/// (its median training diameter): a known value in pixels, or <see cref="Auto"/> (estimated by a first pass,
/// as Cellpose's size model does).
/// </summary>
public sealed record Diameter(double? Pixels)
{
    public static Diameter Auto { get; } = new((double?)null);

    public bool IsAuto => Pixels is null;

    /// <summary>"auto" or a positive number of pixels; null text means no rescaling.</summary>
    public static Diameter? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return Auto;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double px) && px > 0 && double.IsFinite(px))
            return new Diameter(px);
        throw new NucleiInputException(null, $"{Setting.Diameter} must be 'auto' or a positive number of pixels, got '{text}'");
    }

    public override string ToString() => Pixels is double px ? px.ToString("0.#", CultureInfo.InvariantCulture) + " px" : "auto";
}
