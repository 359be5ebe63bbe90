using System.CommandLine;
using System.Globalization;
using Nuclei.Cli.Terminal;
using Nuclei.Core;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;
using Spectre.Console;

namespace Nuclei.Cli.Commands;

/// <summary>
/// `nuclei models`: the model registry as a table (samuelschen/DSB2018's "Model Footprint"), or with --model FILE a
/// description of a checkpoint (model, heads, options, training state, configuration).
/// </summary>
internal static class ModelsCommand
{
    // samuelschen/DSB2018's reported parameter counts (millions), for the architectures it defines the same way.
    private static readonly Dictionary<string, string> ReportedCounts = new() { ["unet"] = "1.94 M", ["caunet"] = "2.70 M", ["camunet"] = "3.47 M" };

    // Encoder variants shown by default (samuelschen/DSB2018's table rows); --all lists every combination.
    private static readonly string[] EncoderRows =
        ["unet_resnet18", "unet_resnet34", "unet_vgg16", "unet_densenet121", "camunet_resnet34", "scamunet_resnet34", "scamunet_resnet18_imagenet"];

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "describe this checkpoint file (.nck) instead of listing the architectures" };
        var all = new Option<bool>("--all") { Description = "list every architecture with every encoder" };
        var json = JsonSummary.Option();
        var command = new Command("models", "List the model architectures (name, heads, encoder, parameters), or describe a checkpoint");
        command.Options.Add(model);
        command.Options.Add(all);
        command.Options.Add(json);
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(json)) StandardOutput.BeginJson();
            string? path = parseResult.GetValue(model);
            object summary = path is null ? ListRegistry(parseResult.GetValue(all)) : DescribeCheckpoint(path);
            if (parseResult.GetValue(json)) StandardOutput.WriteJson(summary);
            return CommandLine.Done;
        });
        return command;
    }

    /// <summary>One architecture as `models --json` lists it.</summary>
    public sealed record ArchitectureRow(string Name, string Heads, string Encoder, long Parameters, string? Reported, int SizeMultiple);

    /// <summary>
    /// The names the table lists: every architecture, then samuelschen/DSB2018's encoder rows or, with
    /// <paramref name="all"/>, each architecture that takes an encoder with each encoder suffix.
    /// </summary>
    public static IReadOnlyList<string> ListedNames(bool all) =>
        ModelRegistry.Names.Concat(all
            ? ModelRegistry.Names.Where(ModelRegistry.TakesEncoder).SelectMany(arch => SuffixEncoders.Select(enc => $"{arch}_{enc}"))
            : EncoderRows).ToList();

    /// <summary>The line under the default table that names the encoder suffixes (<see cref="EncoderFactory.Names"/>).</summary>
    public static string EncoderSuffixHint =>
        $"Any architecture takes an encoder suffix ({string.Join(", ", SuffixEncoders.Select(e => "_" + e))}); --all lists them.";

    // The encoders a name suffix can choose: every one but the default, which needs no suffix.
    private static IEnumerable<string> SuffixEncoders => EncoderFactory.Names.Where(e => e != new ModelOptions().Encoder);

    private static IReadOnlyList<ArchitectureRow> ListRegistry(bool all)
    {
        var names = ListedNames(all);
        var table = new Table().Title("Nuclei model registry (default options: base width 16, depth 4, CAB blocks, dropout 0.2)");
        table.AddColumn("name").AddColumn("heads").AddColumn("encoder").AddColumn(new TableColumn("parameters").RightAligned())
            .AddColumn(new TableColumn("reported").RightAligned()).AddColumn(new TableColumn("size ×").RightAligned());
        var rows = names.Select(Architecture).ToList();
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Name), r.Heads, Markup.Escape(r.Encoder), FormatCount(r.Parameters), r.Reported ?? "",
                r.SizeMultiple.ToString(CultureInfo.InvariantCulture));
        StandardOutput.Write(table);
        foreach (var name in ModelRegistry.Names)
            AnsiConsole.MarkupLine($"[grey]{Markup.Escape(name)}: {Markup.Escape(ModelRegistry.Describe(name))}[/]");
        AnsiConsole.MarkupLine("[grey]heads: S semantic, C contour, M marker. reported: parameter count samuelschen/DSB2018 reports. size ×: input height and width must be multiples of it.[/]");
        if (!all) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(EncoderSuffixHint)}[/]");
        return rows;
    }

    private static ArchitectureRow Architecture(string name)
    {
        using var net = ModelRegistry.Create(name, ModelRegistry.DefaultOptionsOf(name));
        return new ArchitectureRow(name, string.Concat(net.Heads.Select(h => h.ToString()[0])), net is MaskRcnn m ? m.EncoderName : net.Options.Encoder,
            net.ParameterCount(), ReportedCounts.GetValueOrDefault(name), net.SizeMultiple);
    }

    /// <summary>Prints the checkpoint's description; returns it as key → value (what `models --model F --json` writes).</summary>
    private static Dictionary<string, object> DescribeCheckpoint(string path)
    {
        var described = new Dictionary<string, object>();
        var (version, name, options, heads, parameters, info) = Checkpoint.ReadInfo(path);
        var grid = new Table().Title($"Checkpoint {Markup.Escape(Path.GetFileName(path))}").HideHeaders();
        grid.AddColumn("key").AddColumn("value");
        // Values come from the file: cleaned of control characters (ANSI escapes) and cut, like in error messages.
        static string Shown(string text) => Markup.Escape(UntrustedText.Clean(text, 200));
        void Row(string k, string v)
        {
            grid.AddRow(Shown(k), Shown(v));
            described[k.Replace(' ', '_')] = UntrustedText.Clean(v, 200);
        }
        Row("file", Path.GetFullPath(path));
        Row("model", name);
        Row("heads", string.Join(", ", heads.Select(h => h.ToLowerInvariant())));
        Row("parameters", FormatCount(parameters));
        Row("encoder", options.Encoder);
        Row("options", $"in-channels {options.InChannels}, base width {options.BaseWidth}, depth {options.Depth}, block order {options.BlockOrder}, dropout {options.Dropout.ToString(CultureInfo.InvariantCulture)}, batch norm {(options.BatchNorm ? "on" : "off")}");
        Row("epoch", info.Epoch.ToString(CultureInfo.InvariantCulture));
        Row("step", info.Step.ToString(CultureInfo.InvariantCulture));
        if (info.Evaluation is { } e)
        {
            Row("evaluation", string.Create(CultureInfo.InvariantCulture,
                $"mean AP {e.MeanAp:F4} on {e.Images} whole images with this checkpoint's post-processing (by kind: {ByKind(e.ByKind)}; mean over kinds {e.KindMean:F4})"));
            Row("evaluation measured by", $"{e.Command} ({e.MeasuredUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)");
        }
        else Row("evaluation", "(none: nuclei tune records one)");
        Row("in-training validation", info.ValidationScore is double score
            ? string.Create(CultureInfo.InvariantCulture, $"{score:F4} (mean over kinds; centre crops, the run's thresholds; chose this epoch)")
            : "(none)");
        if (info.ValidationByKind is { Count: > 0 } byKind)
            Row("in-training validation by kind", ByKind(byKind));
        foreach (var (a, k) in (info.Adaptations ?? []).Select((a, k) => (a, k)))
        {
            string n = info.Adaptations!.Count == 1 ? "" : $" {k + 1}";
            Row("adapted" + n, string.Create(CultureInfo.InvariantCulture,
                $"{a.AdaptedUtc:yyyy-MM-dd HH:mm} UTC from {a.From}, {a.Minutes} min; self-consistency {a.AgreementBefore:F4} -> {a.AgreementAfter:F4}"));
            Row("adapted to" + n, $"{a.Images} image(s), {a.ImagesTrained} trained on ({a.NucleiKept} nuclei), ids sha256 {a.IdsSha256}, in {a.Source}");
        }
        if (info.Adaptations is { Count: > 0 } adaptations) described["adaptations"] = adaptations;
        if (info.Blend is { } b)
            Row("blended", string.Create(CultureInfo.InvariantCulture,
                $"{b.BlendedUtc:yyyy-MM-dd HH:mm} UTC: {1 - b.Weight:0.###} x {b.First} (sha256 {b.FirstSha256}) + {b.Weight:0.###} x {b.Second} (sha256 {b.SecondSha256})"));
        Row("training diameter", LearnedDiameters.Of(info.MedianDiameter, new CheckpointSettings(info.Configuration, path)) is { } learned
            ? string.Create(CultureInfo.InvariantCulture, $"{learned.Median:F1} px (median nucleus); segment --diameter PX rescales every image by it over PX, --diameter auto leaves nuclei of {learned.SizeRange} as they are and rescales others to it")
            : "(not recorded)");
        Row("saved (UTC)", info.SavedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Row("optimizer state", info.OptimizerState is null ? "(none)" : $"{info.OptimizerState.Length:N0} bytes");
        Row("random state", info.RandomState is null ? "(none)" : $"{info.RandomState.Length:N0} bytes");
        Row("format version", version.ToString(CultureInfo.InvariantCulture) + (version < Checkpoint.FormatVersion ? " (no digest of the whole file)" : ""));
        StandardOutput.Write(grid);
        if (info.Configuration.Count > 0)
        {
            var config = new Table().Title("Configuration");
            config.AddColumn("key").AddColumn("value");
            var saved = new Dictionary<string, string>();
            foreach (var (k, v) in info.Configuration)
            {
                config.AddRow(Shown(k), Shown(v));
                saved[UntrustedText.Clean(k, 200)] = UntrustedText.Clean(v, 200);
            }
            StandardOutput.Write(config);
            described["configuration"] = saved;
        }
        return described;
    }

    private static string ByKind(IReadOnlyDictionary<string, double> byKind) =>
        string.Join(", ", byKind.OrderBy(k => k.Key).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value:F4}")));

    private static string FormatCount(long n) => (n / 1e6).ToString("F3", CultureInfo.InvariantCulture) + " M";
}
