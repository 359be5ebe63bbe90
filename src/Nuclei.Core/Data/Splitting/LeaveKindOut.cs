using Nuclei.Core.Settings;

namespace Nuclei.Core.Data.Splitting;

/// <summary>
/// Leave-kind-out validation: every image of one kind (<see cref="ImageKind"/>) is held out, every other image trains,
/// so the score on it says how the model does on a kind of image it never saw (e.g. train without the colour images
/// and score them).
/// </summary>
internal static class LeaveKindOut
{
    /// <summary>The validation ids: the images of <paramref name="kind"/>.</summary>
    public static HashSet<string> Holdout(IReadOnlyList<SplitItem> items, string kind) =>
        items.Where(i => i.Kind.Equals(kind, StringComparison.Ordinal)).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>The kind to hold out, which must be one of <see cref="ImageKind.All"/>.</summary>
    public static string Parse(string text)
    {
        string kind = text.Trim().ToLowerInvariant();
        return ImageKind.All.Contains(kind)
            ? kind
            : throw new NucleiInputException(null, $"{Setting.HoldOutKind} must be one of {string.Join(", ", ImageKind.All)}, got '{text}'");
    }
}
