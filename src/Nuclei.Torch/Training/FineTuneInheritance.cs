using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Training;

/// <summary>
/// What a fine-tuning run ([train] init_from) takes from its source checkpoint besides the weights: the post-processing
/// chosen for it (often by `nuclei tune`) and the input normalisation its weights expect. Keys the user set (an INI file
/// or key=value) win; the rest come from the source instead of config/default.ini, so a fine-tuned model does not
/// silently fall back to untuned thresholds or another normalisation. The training diameter is the source's too
/// (<see cref="TrainingStart"/>).
/// </summary>
public static class FineTuneInheritance
{
    /// <summary>The "section.key" settings carried over.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        .. PostProcessingKeys.All,
        "pre.normalize", "pre.mean", "pre.std", "pre.percentile_low", "pre.percentile_high",
    ];

    /// <summary><paramref name="config"/> with the source checkpoint's values for <see cref="Keys"/> the user did not set; says which.</summary>
    public static NucleiConfiguration Apply(NucleiConfiguration config, string initFrom, Action<string> info)
    {
        var saved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Checkpoint.ReadInfo(initFrom).Info.Configuration) saved[SavedConfiguration.KeyOf(key)] = value;
        var carried = new List<string>();
        foreach (string key in Keys)
        {
            var (section, name) = (key[..key.IndexOf('.')], key[(key.IndexOf('.') + 1)..]);
            if (config.IsSetByUser(section, name) || !saved.TryGetValue(key, out var value)) continue;
            if (config.Has(section, name) && config.GetString(section, name).Trim() == value.Trim()) continue;
            carried.Add($"{key}={value}");
        }
        if (carried.Count == 0) return config;
        info($"Fine-tuning keeps from '{initFrom}': {string.Join(", ", carried)} (set a key to override it)");
        return config.With(carried.ToArray());
    }
}
