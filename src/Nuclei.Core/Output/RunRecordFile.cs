using System.Text.Json;
using System.Text.Json.Serialization;
using Nuclei.Core.IO;

namespace Nuclei.Core.Output;

/// <summary>
/// <c>DIR/run.json</c>, the <see cref="RunRecord"/> of an output folder: written (atomically, under the folder lock,
/// like summary.csv) when a run starts, so that a killed run still says what made its outputs, and again when it ends.
/// A run into a folder that has one keeps it among its <see cref="RunRecord.EarlierRuns"/>: a resumed or repeated run
/// adds to the folder's history rather than replacing it, as its images are added to the folder's.
/// </summary>
internal static class RunRecordFile
{
    public const string FileName = "run.json";
    public const string Format = "nuclei-run";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // a file for people too: "+" in a version and "&" in a path as they are (the escaping is for HTML pages)
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string PathIn(string outputDir) => Path.Combine(outputDir, FileName);

    /// <summary>The folder's record, or null when there is none or it cannot be read (then a run starts the history afresh).</summary>
    public static RunRecord? Read(string outputDir)
    {
        try { return Parse(File.ReadAllText(PathIn(outputDir))); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException) { return null; }
    }

    public static RunRecord? Parse(string json) => JsonSerializer.Deserialize<RunRecord>(json, Json) is { Format: Format } r ? r : null;

    public static string Serialize(RunRecord record) => JsonSerializer.Serialize(record, Json);

    /// <summary>The settings as run.json names and writes them (those that apply), for a page to list.</summary>
    public static IEnumerable<(string Name, string Value)> Rows(RunSettings settings) =>
        JsonSerializer.SerializeToElement(settings, Json).EnumerateObject()
            .Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));

    /// <summary>
    /// The settings of <paramref name="changed"/> that run.json would write otherwise than those of <paramref name="baseline"/>,
    /// by name and as written (a number stays a number), in run.json's order.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonElement> Differences(RunSettings baseline, RunSettings changed)
    {
        var before = JsonSerializer.SerializeToElement(baseline, Json).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
        return JsonSerializer.SerializeToElement(changed, Json).EnumerateObject()
            .Where(p => !before.TryGetValue(p.Name, out string? was) || was != p.Value.GetRawText())
            .ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>
    /// <paramref name="settings"/> with each value as run.json writes it under its name: in its property where
    /// <see cref="RunSettings"/> has one, else among <see cref="RunSettings.Others"/> (so a new option needs no property);
    /// a null value leaves the setting out.
    /// </summary>
    public static RunSettings With(RunSettings settings, IEnumerable<(string Name, object? Value)> values)
    {
        var json = JsonSerializer.SerializeToNode(settings, Json)!.AsObject();
        foreach (var (name, value) in values)
            if (value is null) json.Remove(name);
            else json[name] = JsonSerializer.SerializeToNode(value, value.GetType(), Json);
        return json.Deserialize<RunSettings>(Json)!;
    }

    /// <summary>The name run.json gives a property of <see cref="RunSettings"/> (<c>nameof(RunSettings.ThresholdEdge)</c> → threshold_edge).</summary>
    public static string SettingName(string property) => Json.PropertyNamingPolicy!.ConvertName(property);

    /// <summary>How run.json words a setting's source (default, checkpoint, config, command line).</summary>
    public static string SourceName(Configuration.SettingSource source) => JsonSerializer.Serialize(source, Json).Trim('"');

    /// <summary>Writes <paramref name="run"/> as the folder's record, the record found there (if any) among its earlier runs; returns it so.</summary>
    public static RunRecord Begin(string outputDir, RunRecord run)
    {
        using var folderLock = FolderLock.Acquire(outputDir);
        var earlier = Read(outputDir);
        var begun = run with { EarlierRuns = earlier is null ? [] : [.. earlier.EarlierRuns, earlier with { EarlierRuns = [] }] };
        AtomicFile.WriteAllText(PathIn(outputDir), Serialize(begun));
        return begun;
    }

    /// <summary>
    /// Puts <paramref name="run"/> (begun by <see cref="Begin"/>, now finished) in place of its begun self, wherever a
    /// run that started since has put it; the folder's record otherwise stays as it is.
    /// </summary>
    public static void Finish(string outputDir, RunRecord run)
    {
        using var folderLock = FolderLock.Acquire(outputDir);
        var current = Read(outputDir);
        var finished = run with { EarlierRuns = [] };
        RunRecord updated = current is null || current.Id == run.Id
            ? finished with { EarlierRuns = current?.EarlierRuns ?? run.EarlierRuns }
            : current with { EarlierRuns = current.EarlierRuns.Select(r => r.Id == run.Id ? finished : r).ToList() };
        AtomicFile.WriteAllText(PathIn(outputDir), Serialize(updated));
    }
}
