using System.Text;
using Microsoft.Extensions.Configuration;
using Nuclei.Core.IO;

namespace Nuclei.Core.Configuration;

/// <summary>
/// Builds the effective <see cref="NucleiConfiguration"/> in three layers with Microsoft.Extensions.Configuration:
/// the committed defaults (config/default.ini, embedded in this assembly), an optional user INI over them,
/// and `key=value` / `section.key=value` overrides over both. A key the defaults do not know, or a value of
/// the wrong type, is a <see cref="NucleiInputException"/> naming the file (or "command line") and the key.
/// </summary>
internal static class ConfigurationLoader
{
    const string EmbeddedDefaults = "Nuclei.Core.Configuration.default.ini";

    /// <summary>The text of the committed defaults file.</summary>
    public static string DefaultsText()
    {
        using var stream = typeof(ConfigurationLoader).Assembly.GetManifestResourceStream(EmbeddedDefaults)
            ?? throw new InvalidOperationException($"embedded resource {EmbeddedDefaults} missing from Nuclei.Core");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Defaults only.</summary>
    public static NucleiConfiguration Defaults() => Load(null, Array.Empty<string>());

    /// <summary>Defaults, then <paramref name="userIniPath"/> (optional), then <paramref name="overrides"/>.</summary>
    /// <param name="runIniPath">
    /// a run's saved configuration, applied over the defaults before <paramref name="userIniPath"/>, its values counting
    /// as the run's defaults rather than as set by the user (a resumed run is the run it was, not a new request)
    /// </param>
    public static NucleiConfiguration Load(string? userIniPath, IEnumerable<string> overrides, string? defaultsIniPath = null, string? runIniPath = null)
    {
        string defaultsName = defaultsIniPath ?? "config/default.ini (built in)";
        string defaultsText = defaultsIniPath is null ? DefaultsText() : ReadText(defaultsIniPath);
        var defaults = ParseIni(defaultsText, defaultsName);
        var keys = OrderedKeys(defaultsText, defaults);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var k in keys) values[k.Id] = defaults[k.Id];
        var sources = new List<string> { defaultsName };
        var userSet = new Dictionary<string, SettingSource>(StringComparer.OrdinalIgnoreCase);

        if (runIniPath != null)
        {
            var byId = keys.ToDictionary(k => k.Id, StringComparer.OrdinalIgnoreCase);
            var notUserSet = new Dictionary<string, SettingSource>(StringComparer.OrdinalIgnoreCase);
            foreach (var (id, value) in ParseIni(ReadText(runIniPath), runIniPath))
                if (byId.ContainsKey(id) || !IsFormer(id))   // an earlier version's run may hold keys no longer read
                    Set(byId, values, notUserSet, id, value, runIniPath, SettingSource.Default);
            sources.Add(Path.GetFullPath(runIniPath));
        }

        if (userIniPath != null)
        {
            string full = Path.GetFullPath(userIniPath);
            var user = ParseIni(ReadText(userIniPath), userIniPath);
            var byId = keys.ToDictionary(k => k.Id, StringComparer.OrdinalIgnoreCase);
            foreach (var (id, value) in user)
                Set(byId, values, userSet, id, value, userIniPath, SettingSource.Config);
            sources.Add(full);
        }

        var config = new NucleiConfiguration(keys, values, sources, userSet);
        var list = overrides.ToArray();
        return list.Length == 0 ? config : ApplyOverrides(config, keys, values, list);
    }

    internal static NucleiConfiguration ApplyOverrides(NucleiConfiguration baseConfig, IReadOnlyList<ConfigKey> keys,
        IReadOnlyDictionary<string, string> baseValues, IEnumerable<string> overrides)
    {
        var values = new Dictionary<string, string>(baseValues, StringComparer.OrdinalIgnoreCase);
        var userSet = new Dictionary<string, SettingSource>(baseConfig.UserSources, StringComparer.OrdinalIgnoreCase);
        var byId = keys.ToDictionary(k => k.Id, StringComparer.OrdinalIgnoreCase);
        var applied = new List<string>();
        foreach (string raw in overrides)
        {
            int eq = raw.IndexOf('=');
            if (eq <= 0) throw new NucleiInputException("command line", $"'{raw}' is not a key=value or section.key=value override");
            string name = raw[..eq].Trim(), value = raw[(eq + 1)..].Trim();
            string id;
            int dot = name.IndexOf('.');
            if (dot > 0) id = ConfigKey.MakeId(name[..dot], name[(dot + 1)..]);
            else
            {
                // A bare key must name exactly one section's key.
                var matches = keys.Where(k => k.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (matches.Count == 0)
                    throw new NucleiInputException("command line", FormerBareKeyHint(name) is { } hint
                        ? $"configuration key '{name}' is no longer read: {hint}"
                        : $"unknown configuration key '{name}' (no section of config/default.ini has it)");
                if (matches.Count > 1)
                    throw new NucleiInputException("command line", $"configuration key '{name}' is in several sections ({string.Join(", ", matches.Select(m => m.Section))}); write section.{name}=value");
                id = matches[0].Id;
            }
            Set(byId, values, userSet, id, value, "command line", SettingSource.CommandLine);
            applied.Add(raw);
        }
        var sources = baseConfig.Sources.ToList();
        if (applied.Count > 0) sources.Add("command line: " + string.Join(" ", applied));
        return new NucleiConfiguration(keys, values, sources, userSet);
    }

    /// <param name="layer">the layer <paramref name="source"/> is, kept with the key: the last layer to set a key gave its value</param>
    static void Set(Dictionary<string, ConfigKey> byId, Dictionary<string, string> values, Dictionary<string, SettingSource> userSet, string id, string value, string source,
        SettingSource layer)
    {
        string shown = "[" + id.Replace(":", "] ");
        if (!byId.TryGetValue(id, out var key))
            throw new NucleiInputException(source, FormerHint(id) is { } hint
                ? $"configuration key {shown} is no longer read: {hint}"
                : $"unknown configuration key {shown} (not in config/default.ini)");
        if (!ConfigValueKinds.Accepts(key.Kind, value))
            throw new NucleiInputException(source, $"[{key.Section}] {key.Key} = '{value}' is not {ConfigValueKinds.Describe(key.Kind)}");
        values[id] = value;
        userSet[id] = layer;
    }

    static string? FormerHint(string id)
    {
        int colon = id.IndexOf(':');
        return colon < 0 ? null : FormerSettings.HintFor(id[..colon], id[(colon + 1)..]);
    }

    static bool IsFormer(string id) => FormerHint(id) is not null;

    /// <summary>The hint for a key given without its section (`detect=True`), when one former section has it.</summary>
    static string? FormerBareKeyHint(string key) =>
        new[] { "param", "train", "valid", "pre", "post", "contour", "default" }.Select(s => FormerSettings.HintFor(s, key)).FirstOrDefault(h => h is not null);

    /// <summary>Leaf "section:key" → value, through the INI provider of Microsoft.Extensions.Configuration.</summary>
    static Dictionary<string, string> ParseIni(string text, string source)
    {
        IConfigurationRoot root;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            root = new ConfigurationBuilder().AddIniStream(stream).Build();
        }
        catch (FormatException e) { throw new NucleiInputException(source, "not a valid INI file: " + e.Message, e); }
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var kv in root.AsEnumerable())
        {
            if (kv.Value is null) continue;                     // a section, not a key
            int colon = kv.Key.IndexOf(':');
            if (colon < 0) throw new NucleiInputException(source, $"key '{kv.Key}' is outside any [section]");
            result[ConfigKey.MakeId(kv.Key[..colon], kv.Key[(colon + 1)..])] = kv.Value;
        }
        return result;
    }

    /// <summary>The keys of the defaults in file order (the INI provider forgets the order), with their kinds.</summary>
    static List<ConfigKey> OrderedKeys(string defaultsText, Dictionary<string, string> defaults)
    {
        var keys = new List<ConfigKey>();
        string section = "";
        foreach (string rawLine in defaultsText.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/') continue;
            if (line.StartsWith('[') && line.EndsWith(']')) { section = line[1..^1].Trim(); continue; }
            int eq = line.IndexOf('=');
            if (eq <= 0) continue;
            string key = line[..eq].Trim();
            string id = ConfigKey.MakeId(section, key);
            if (defaults.TryGetValue(id, out var value) && keys.All(k => k.Id != id))
                keys.Add(new ConfigKey(section, key, ConfigValueKinds.Infer(value)));
        }
        return keys;
    }

    static string ReadText(string path)
    {
        RegularFile.Require(path, "configuration file");
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new NucleiInputException(path, "cannot read configuration file: " + e.Message, e); }
    }
}
