namespace Nuclei.Core.IO;

/// <summary>
/// Channel names that say a channel holds a nuclear stain or marker: DAPI, Hoechst, DRAQ5, H2B (histone fusions such as
/// H2B-GFP), and "nuclei" / "nuclear" / "nucleus". Matched case-insensitively anywhere in the name ("Hoechst 33342",
/// "H2B-mCherry", "405 DAPI"). The one list that both the page's channel default (through the inspect answer's
/// suggestion) and the command line's hints use.
/// </summary>
internal static class NuclearChannelNames
{
    public static readonly IReadOnlyList<string> Markers = ["DAPI", "Hoechst", "DRAQ5", "H2B", "nuclei", "nuclear", "nucleus"];

    public static bool LooksNuclear(string? name) =>
        name is not null && Markers.Any(m => name.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>The 0-based index of the first channel whose name looks nuclear, or null when none does.</summary>
    public static int? Suggest(IReadOnlyList<string?> names)
    {
        for (int c = 0; c < names.Count; c++)
            if (LooksNuclear(names[c])) return c;
        return null;
    }
}
