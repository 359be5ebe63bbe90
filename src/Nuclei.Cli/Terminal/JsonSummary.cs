using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nuclei.Cli.Terminal;

/// <summary>
/// `--json`: one machine-readable summary on stdout at the end of a command (snake_case names, like the CSV
/// columns), while progress and messages go to stderr.
/// </summary>
internal static class JsonSummary
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The option, the same wording in every command that has it.</summary>
    public static Option<bool> Option() => new("--json")
    {
        Description = "write one machine-readable JSON summary to stdout (messages and tables go to stderr)",
    };

    public static string Serialize<T>(T summary) => JsonSerializer.Serialize(summary, Options);
}
