using System.Globalization;
using Nuclei.Core.Configuration;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Training;

namespace Nuclei.Torch.Adaptation;

/// <summary>
/// The fine-tuning run of an adaptation: the model's own saved configuration (architecture, normalisation,
/// augmentation, losses, post-processing), starting from its weights, with a low learning rate that barely moves the
/// encoder, a time budget instead of epochs, the pseudo-labelled images as its only data and no validation.
/// </summary>
internal static class AdaptationConfiguration
{
    public static NucleiConfiguration Build(string modelPath, CheckpointSummary source, AdaptationOptions o, int trainImages)
    {
        var defaults = ConfigurationLoader.Defaults();
        var overrides = Saved(source, defaults);
        string I(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        overrides.AddRange(
        [
            "train.init_from=" + Path.GetFullPath(modelPath),
            "param.learn_rate=" + I(o.LearningRate), "train.encoder_lr_ratio=" + I(o.EncoderLrRatio),
            "train.time_budget_minutes=" + I(o.Minutes), "train.min_budget_updates=" + o.MinUpdates,
            // The budget ends the run, so epochs only scale the schedule: one cosine decay over the budget, no warm-up.
            "train.n_epoch=100000", "train.n_ckpt_epoch=100000", "train.n_cv_epoch=100000",
            "train.schedule=cosine", "train.warmup_epochs=0", "train.seed=" + o.Seed, "train.fail_if_unlearned=False",
            "train.precision=auto",   // the model may have been trained in bf16 on a CPU with AMX; this one may lack it
            // Only the pseudo-labelled images, all of them, none held out, no dataset CSV of the original training.
            "dataset.cv_ratio=0", "dataset.pseudo_data=", "dataset.csv_file=", "dataset.source=",
            "dataset.major_category=", "dataset.sub_category=", "train.balance_group=False",
        ]);
        var config = ConfigurationLoader.Load(null, overrides);
        int batch = config.GetInt("train", "n_batch");
        if (trainImages < batch && config.GetInt("train", "epoch_size") < batch) config = config.With("train.epoch_size=" + batch);   // a few images still fill a batch
        return o.Overrides.Count == 0 ? config : config.With(o.Overrides.ToArray());
    }

    /// <summary>The checkpoint's saved configuration as key=value overrides, keys this build no longer knows left out.</summary>
    static List<string> Saved(CheckpointSummary source, NucleiConfiguration defaults)
    {
        var list = new List<string>();
        foreach (var (key, value) in source.Info.Configuration)
        {
            string k = SavedConfiguration.KeyOf(key);
            int dot = k.IndexOf('.');
            if (dot > 0 && defaults.Has(k[..dot], k[(dot + 1)..])) list.Add($"{k}={value}");
        }
        return list;
    }
}
