using System.CommandLine;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The --seed option of every command that draws at random, declared once so they all default to the same value and say
/// so (a run is repeated exactly by giving the same seed). Training's own seeds are configuration keys ([train] seed,
/// [dataset] cv_seed), kept apart: changing them would change the split and runs that models were made by.
/// </summary>
internal static class SeedOption
{
    public const int Default = 0;

    /// <param name="drawn">what the random draw decides, e.g. "which images share a mosaic"</param>
    /// <param name="note">more to say, after the default</param>
    public static Option<int> Create(string drawn, string note = "") => new("--seed")
    {
        Description = $"random seed: {drawn}; the same seed gives the same result (default {Default}, as for every --seed){note}",
        DefaultValueFactory = _ => Default,
    };
}
