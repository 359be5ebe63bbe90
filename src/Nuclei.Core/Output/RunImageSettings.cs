using System.Text.Json;
using Nuclei.Core.Configuration;

namespace Nuclei.Core.Output;

/// <summary>
/// One image of a run whose images had settings of their own (<see cref="RunRecord.ImageSettings"/>): its settings are
/// the run's <see cref="RunRecord.Settings"/> with <see cref="Settings"/> over them, named and written as there.
/// </summary>
/// <param name="Image">the image's folder among the outputs (unique, where two uploads share a name)</param>
/// <param name="Input">the <see cref="RunInput.Path"/> it was read from</param>
/// <param name="Settings">only the settings that differ from the run's, by run.json's name (empty: the run's settings)</param>
/// <param name="SettingSources">which layer gave each of <see cref="Settings"/> (page: the user chose it for this image)</param>
/// <param name="Corrected">true when its labels are the user's corrections (drawn on the page), not the settings' result</param>
internal sealed record RunImageSettings(
    string Image, string Input, IReadOnlyDictionary<string, JsonElement> Settings, IReadOnlyDictionary<string, SettingSource> SettingSources,
    bool Corrected = false);
