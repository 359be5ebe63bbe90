using System.Text.Json.Serialization;

namespace Nuclei.Core.Configuration;

/// <summary>
/// Which layer of settings gave a setting its value, lowest first, so that the higher of two layers is the greater:
/// what run.json says beside each setting, so a reader knows whether a value was asked for or inherited.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SettingSource>))]
public enum SettingSource
{
    /// <summary>The built-in default: config/default.ini, or an option's own default.</summary>
    [JsonStringEnumMemberName("default")] Default,

    /// <summary>The configuration saved in the model (the first model's, for an ensemble), or a fact of the model.</summary>
    [JsonStringEnumMemberName("checkpoint")] Checkpoint,

    /// <summary>The user's INI file (--config).</summary>
    [JsonStringEnumMemberName("config")] Config,

    /// <summary>The command line: a section.key=value override or a named option (or, for the library, the caller's options).</summary>
    [JsonStringEnumMemberName("command line")] CommandLine,

    /// <summary>The web page of `nuclei serve`: a value the user chose for one image (its thresholds, channel, z or diameter).</summary>
    [JsonStringEnumMemberName("page")] Page,
}
