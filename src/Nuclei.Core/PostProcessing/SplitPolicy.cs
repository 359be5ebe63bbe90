namespace Nuclei.Core.PostProcessing;

/// <summary>How touching nuclei are split once markers are known (CLI names: ws, rw).</summary>
public enum SplitPolicy
{
    /// <summary>Marker-controlled watershed ("ws").</summary>
    Watershed,
    /// <summary>Random walker ("rw").</summary>
    RandomWalker,
}

/// <summary>What the watershed floods when splitting the body.</summary>
public enum WatershedLandscape
{
    /// <summary>Minus the distance transform of the thresholded body: splits at necks.</summary>
    NegativeDistance,
    /// <summary>1 − body probability: splits where the network is least sure.</summary>
    InvertedBody,
}

internal static class SplitPolicyNames
{
    /// <summary>Parses "ws"/"watershed" and "rw"/"random-walker"/"randomwalker" (case-insensitive).</summary>
    public static bool TryParse(string? text, out SplitPolicy policy)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "ws": case "watershed": policy = SplitPolicy.Watershed; return true;
            case "rw": case "random-walker": case "randomwalker": case "random_walker": policy = SplitPolicy.RandomWalker; return true;
            default: policy = SplitPolicy.Watershed; return false;
        }
    }

    public static string ShortName(this SplitPolicy policy) => policy switch
    {
        SplitPolicy.Watershed => "ws",
        SplitPolicy.RandomWalker => "rw",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };
}
