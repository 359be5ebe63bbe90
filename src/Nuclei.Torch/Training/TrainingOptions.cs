using Nuclei.Torch.Runtime;
using Nuclei.Core;
using Nuclei.Core.Configuration;
using Nuclei.Core.Settings;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Training;

/// <summary>The [train]/[param]/[valid] settings the training loop uses, read and checked once.</summary>
internal sealed record TrainingOptions
{
    public required string ModelName { get; init; }
    public required ModelOptions ModelOptions { get; init; }
    public int Epochs { get; init; }
    public int CheckpointEvery { get; init; }
    public int ValidateEvery { get; init; }
    public int BatchSize { get; init; }
    public int Workers { get; init; }
    public int QueueSize { get; init; }
    public int EpochSize { get; init; }
    public int PrintFrequency { get; init; }
    public bool BalanceGroups { get; init; }
    public double BalancePower { get; init; }
    public bool Pretrained { get; init; }
    /// <summary>Batch-norm layers keep the starting weights' running statistics (<see cref="TrainingMode"/>).</summary>
    public bool FreezeBatchNorm { get; init; }
    /// <summary>A checkpoint whose weights a new run starts from (fine-tuning); empty for new weights.</summary>
    public string InitFrom { get; init; } = "";
    public double EncoderLrRatio { get; init; } = 1;
    public string Optimizer { get; init; } = "adam";

    /// <summary>[train] precision: the number format of the forward and backward pass (weights stay float32; <see cref="BFloat16Pass"/>).</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Fp32;
    public double LearningRate { get; init; }
    public double Momentum { get; init; }
    public double WeightDecay { get; init; }
    public string Schedule { get; init; } = "cosine";
    public double WarmupEpochs { get; init; }
    public double MinLrRatio { get; init; }
    public int StepEpochs { get; init; }
    public double StepGamma { get; init; }
    public int PlateauPatience { get; init; }
    public double PlateauFactor { get; init; }
    public int Accumulate { get; init; }
    public int Seed { get; init; }
    public double TimeBudgetMinutes { get; init; }
    /// <summary>[train] min_budget_updates: the fewest optimizer updates a time budget must allow (<see cref="BudgetCheck"/>).</summary>
    public int MinBudgetUpdates { get; init; }
    /// <summary>[train] max_nonfinite_steps: steps with a non-finite loss or gradient skipped before the run stops (<see cref="FiniteStepGuard"/>).</summary>
    public int MaxNonFiniteSteps { get; init; }
    /// <summary>[train] debug_nonfinite: libtorch fills new tensors with NaN and its anomaly detection runs, and the first non-finite step stops the run.</summary>
    public bool DebugNonFinite { get; init; }
    /// <summary>[train] fail_if_unlearned: a run whose validation never rose above 0 (without validation: whose model finds nothing in a few training images) fails.</summary>
    public bool FailIfUnlearned { get; init; } = true;
    public int Threads { get; init; }
    public int CropSize { get; init; }
    public int ValidMaxImages { get; init; }
    /// <summary>Share of each epoch drawn from [dataset] pseudo_data (when set).</summary>
    public double PseudoRatio { get; init; }
    public int ValidMaxSize { get; init; }

    /// <summary>Reads and checks the settings: the model first (a bad one is named before any other value), then the rest group by group.</summary>
    public static TrainingOptions FromConfiguration(NucleiConfiguration c)
    {
        string model = KnownModelName(c);
        var o = new TrainingOptions { ModelName = model, ModelOptions = ModelOptionsOf(c, model) }
            .WithEpochsAndBatches(c)
            .WithWeightsAndOptimizer(c)
            .WithSchedule(c)
            .WithRuntime(c)
            .WithDataSizes(c);
        o.Check();
        return o;
    }

    static string KnownModelName(NucleiConfiguration c)
    {
        string model = c.GetString("param", "model").Trim();
        if (!ModelRegistry.IsKnown(model))
            throw new NucleiInputException("configuration", FormerArchitectures.Equivalent(model) is { } now
                ? $"[param] model = '{model}' is the original DSB2018 toolkit's name; here: {now}"
                : $"[param] model = '{model}' is not a known model (known: {string.Join(", ", ModelRegistry.Names)})");
        return model;
    }

    /// <summary>The architecture from the model's section when the configuration has one, else the registry's defaults.</summary>
    static ModelOptions ModelOptionsOf(NucleiConfiguration c, string model)
    {
        string section = ModelSection(c, model);
        var mo = ModelRegistry.DefaultOptionsOf(model);
        if (HasSection(c, section) && !ModelRegistry.IsDetector(model))   // a detector's section holds its settings, not U-Net options
            mo = mo with
            {
                BaseWidth = c.GetInt(section, "base_width"),
                Depth = c.GetInt(section, "depth"),
                BlockOrder = c.GetString(section, "block_order"),
                Dropout = c.GetDouble(section, "dropout"),
                BatchNorm = c.GetBool(section, "batch_norm"),
                Encoder = c.GetString(section, "encoder"),
            };
        if (ModelRegistry.EncoderSuffixOf(model) is string suffix) mo = mo with { Encoder = suffix };   // as ModelRegistry.Create does
        mo.Validate("configuration [" + section + "]");
        return mo;
    }

    static string ModelSection(NucleiConfiguration c, string model)
    {
        string section = model.ToLowerInvariant();
        int u = section.IndexOf('_');
        if (!HasSection(c, section) && u > 0) section = section[..u];   // camunet_resnet34 → [camunet]
        return section;
    }

    static bool HasSection(NucleiConfiguration c, string section) => c.SectionNames.Contains(section, StringComparer.OrdinalIgnoreCase);

    /// <summary>How long training runs, how often it checkpoints and validates, and how batches are drawn.</summary>
    TrainingOptions WithEpochsAndBatches(NucleiConfiguration c) => this with
    {
        Epochs = c.GetInt("train", "n_epoch"),
        CheckpointEvery = c.GetInt("train", "n_ckpt_epoch"),
        ValidateEvery = c.GetInt("train", "n_cv_epoch"),
        BatchSize = c.GetInt("train", "n_batch"),
        Workers = c.GetInt("train", "n_worker"),
        QueueSize = c.GetInt("train", "queue_size"),
        EpochSize = c.GetInt("train", "epoch_size"),
        PrintFrequency = c.GetInt("train", "print_freq"),
        BalanceGroups = c.GetBool("train", "balance_group"),
        BalancePower = c.GetDouble("train", "balance_power"),
    };

    /// <summary>The weights training starts from and the optimiser that updates them.</summary>
    TrainingOptions WithWeightsAndOptimizer(NucleiConfiguration c) => this with
    {
        Pretrained = c.GetBool("param", "pretrained"),
        FreezeBatchNorm = c.GetBool("train", "freeze_batch_norm"),
        InitFrom = c.GetString("train", "init_from").Trim(),
        EncoderLrRatio = c.GetDouble("train", "encoder_lr_ratio"),
        Optimizer = c.GetString("train", "optimizer").Trim().ToLowerInvariant(),
        Precision = ComputePrecisions.Parse(c.GetString("train", "precision"), SettingMessage.Plain("[train] precision")),
        LearningRate = c.GetDouble("param", "learn_rate"),
        Momentum = c.GetDouble("train", "momentum"),
        WeightDecay = c.GetDouble("train", "weight_decay"),
    };

    /// <summary>The learning-rate schedule, and how many batches make one optimiser step.</summary>
    TrainingOptions WithSchedule(NucleiConfiguration c) => this with
    {
        Schedule = c.GetString("train", "schedule").Trim().ToLowerInvariant(),
        WarmupEpochs = c.GetDouble("train", "warmup_epochs"),
        MinLrRatio = c.GetDouble("train", "min_lr_ratio"),
        StepEpochs = c.GetInt("train", "step_epochs"),
        StepGamma = c.GetDouble("train", "step_gamma"),
        PlateauPatience = c.GetInt("train", "plateau_patience"),
        PlateauFactor = c.GetDouble("train", "plateau_factor"),
        Accumulate = c.GetInt("train", "accumulate"),
    };

    TrainingOptions WithRuntime(NucleiConfiguration c) => this with
    {
        Seed = c.GetInt("train", "seed"),
        TimeBudgetMinutes = c.GetDouble("train", "time_budget_minutes"),
        MinBudgetUpdates = c.GetInt("train", "min_budget_updates"),
        MaxNonFiniteSteps = c.GetBool("train", "debug_nonfinite") ? 0 : c.GetInt("train", "max_nonfinite_steps"),
        DebugNonFinite = c.GetBool("train", "debug_nonfinite"),
        FailIfUnlearned = c.GetBool("train", "fail_if_unlearned"),
        Threads = c.GetInt("train", "n_thread"),
    };

    /// <summary>The training crop, the validation limits and the share of pseudo-labelled images.</summary>
    TrainingOptions WithDataSizes(NucleiConfiguration c) => this with
    {
        CropSize = c.GetInt("param", "width"),
        ValidMaxImages = c.GetInt("valid", "max_images"),
        ValidMaxSize = c.GetInt("valid", "max_size"),
        PseudoRatio = c.GetDouble("dataset", "pseudo_ratio"),
    };

    void Check()
    {
        void Require(bool ok, string what) { if (!ok) throw new NucleiInputException("configuration", what); }
        Require(Epochs >= 1, $"[train] n_epoch must be at least 1, got {Epochs}");
        Require(CheckpointEvery >= 1, $"[train] n_ckpt_epoch must be at least 1, got {CheckpointEvery}");
        Require(ValidateEvery >= 1, $"[train] n_cv_epoch must be at least 1, got {ValidateEvery}");
        Require(BatchSize >= 1, $"[train] n_batch must be at least 1, got {BatchSize}");
        Require(Workers >= 1, $"[train] n_worker must be at least 1, got {Workers}");
        Require(QueueSize >= 1, $"[train] queue_size must be at least 1, got {QueueSize}");
        Require(PrintFrequency >= 1, $"[train] print_freq must be at least 1, got {PrintFrequency}");
        Require(Accumulate >= 1, $"[train] accumulate must be at least 1, got {Accumulate}");
        Require(Optimizer is "adam" or "sgd", $"[train] optimizer = '{Optimizer}' (expected adam or sgd)");
        Require(LearningRateSchedule.Kinds.Contains(Schedule), $"[train] schedule = '{Schedule}' (expected {string.Join(", ", LearningRateSchedule.Kinds)})");
        Require(LearningRate > 0, $"[param] learn_rate must be positive, got {LearningRate}");
        Require(CropSize >= 16, $"[param] width must be at least 16, got {CropSize}");
        Require(BalancePower is >= 0 and <= 1, $"[train] balance_power must be in [0, 1], got {BalancePower}");
        Require(EncoderLrRatio is >= 0 and <= 10, $"[train] encoder_lr_ratio must be in [0, 10], got {EncoderLrRatio}");
        Require(EpochSize >= 0, $"[train] epoch_size must be 0 or more, got {EpochSize}");
        Require(InitFrom.Length == 0 || File.Exists(InitFrom), $"[train] init_from = '{InitFrom}': no such checkpoint");
        Require(MinBudgetUpdates >= 0, $"[train] min_budget_updates must be 0 or more, got {MinBudgetUpdates}");
        Require(MaxNonFiniteSteps >= 0, $"[train] max_nonfinite_steps must be 0 or more, got {MaxNonFiniteSteps}");
        Require(PseudoRatio is >= 0 and < 1, $"[dataset] pseudo_ratio must be in [0, 1), got {PseudoRatio}");
    }
}
