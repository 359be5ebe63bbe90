using System.Globalization;
using Nuclei.Core;

namespace Nuclei.Torch.Losses;

/// <summary>
/// Creates losses by name, so a training configuration can name them: "bce", "wbce", "iou", "dice", "focal",
/// "focal2", "lovasz", and sums of them joined by "+" with optional coefficients ("iou+focal", "iou+focal+wbce",
/// "0.5*bce+dice"). Case and spaces are ignored; "jaccard" and "softiou" mean "iou".
/// </summary>
internal static class LossFactory
{
    public static IReadOnlyList<string> Names { get; } = ["bce", "wbce", "iou", "dice", "focal", "focal2", "lovasz"];

    /// <summary>samuelschen/DSB2018's combinations, for documentation and the help text.</summary>
    public static IReadOnlyList<string> SeedCombinations { get; } = ["iou+bce", "iou+wbce", "iou+focal", "iou+focal+wbce", "iou+focal2"];

    /// <exception cref="NucleiInputException">Unknown loss name or bad coefficient (naming <paramref name="source"/>).</exception>
    public static PixelLoss Create(string spec, string? source = null)
    {
        string s = spec.Replace(" ", "").ToLowerInvariant();
        if (s.Length == 0) throw new NucleiInputException(source, "empty loss name");
        var parts = s.Split('+');
        var terms = new List<(double, PixelLoss)>();
        foreach (var part in parts)
        {
            double c = 1;
            string name = part;
            int star = part.IndexOf('*');
            if (star >= 0)
            {
                if (!double.TryParse(part[..star], NumberStyles.Float, CultureInfo.InvariantCulture, out c) || c < 0 || !double.IsFinite(c))
                    throw new NucleiInputException(source, $"bad coefficient in loss term '{part}' of '{spec}'");
                name = part[(star + 1)..];
            }
            terms.Add((c, Single(name, spec, source)));
        }
        return terms.Count == 1 && terms[0].Item1 == 1 ? terms[0].Item2 : new CombinedLoss(terms);
    }

    private static PixelLoss Single(string name, string spec, string? source) => name switch
    {
        "bce" => new BceLoss(),
        "wbce" => new WeightedBceLoss(),
        "iou" or "jaccard" or "softiou" => new SoftIouLoss(),
        "dice" => new DiceLoss(),
        "focal" => new FocalLoss(),
        "focal2" => new FocalLoss(weighted: true),
        "lovasz" or "lovaszhinge" => new LovaszHingeLoss(),
        _ => throw new NucleiInputException(source, $"unknown loss '{name}' in '{spec}' (known: {string.Join(", ", Names)}, joined by +, e.g. iou+focal)"),
    };
}
