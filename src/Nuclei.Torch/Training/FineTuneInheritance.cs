using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;

namespace Nuclei.Torch.Training;

/// <summary>
/// What a fine-tuning run ([train] init_from) takes from its source checkpoint besides the weights: its architecture
/// (param.model and the options of the model's section, which the weights need), the crop size and batch it was
/// trained with, the post-processing chosen for it (often by `nuclei tune`) and the input normalisation its weights
/// expect. Keys the user set (an INI file or key=value) win; the rest come from the source instead of
/// config/default.ini, so `train --data MINE train.init_from=M.nck` fine-tunes M as it is, without its recipe, and a
/// fine-tuned model does not silently fall back to untuned thresholds or another normalisation. The training diameter
/// is the source's too (<see cref="TrainingStart"/>).
/// </summary>
internal static class FineTuneInheritance
{
    /// <summary>The "section.key" settings carried over.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "param.model", "param.width", "train.n_batch",
        .. PostProcessingKeys.All,
        "pre.normalize", "pre.mean", "pre.std", "pre.percentile_low", "pre.percentile_high", "pre.grey_input",
    ];

    /// <summary><paramref name="config"/> with the source checkpoint's values for <see cref="Keys"/> the user did not set; says which.</summary>
    public static NucleiConfiguration Apply(NucleiConfiguration config, string initFrom, Action<string> info)
    {
        var saved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Checkpoint.ReadInfo(initFrom).Info.Configuration) saved[SavedConfiguration.KeyOf(key)] = value;
        var carried = new List<string>();
        foreach (string key in Keys.Concat(ModelSectionKeys(config, saved)))
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

    /// <summary>The source's saved keys of the section of the model that will be trained (the user's, else the source's).</summary>
    static IEnumerable<string> ModelSectionKeys(NucleiConfiguration config, Dictionary<string, string> saved)
    {
        string model = (config.IsSetByUser("param", "model") ? config.GetString("param", "model") : saved.GetValueOrDefault("param.model", "")).Trim().ToLowerInvariant();
        if (model.Length == 0) return [];
        // camunet_resnet34 reads [camunet] when there is no [camunet_resnet34], as the trainer does
        string section = config.SectionNames.Contains(model, StringComparer.OrdinalIgnoreCase) || !model.Contains('_') ? model : model[..model.IndexOf('_')];
        return saved.Keys.Where(k => k.StartsWith(section + ".", StringComparison.OrdinalIgnoreCase)
            && config.Has(section, k[(section.Length + 1)..]));
    }
}
