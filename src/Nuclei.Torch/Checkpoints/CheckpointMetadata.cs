using System.Text.Json.Serialization;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Checkpoints;

/// <summary>The JSON metadata section of a checkpoint file (see <see cref="Checkpoint"/>).</summary>
internal sealed class CheckpointMetadata
{
    public string? ModelName { get; set; }
    public string[]? Heads { get; set; }
    public ModelOptions? Options { get; set; }
    public Dictionary<string, string>? Configuration { get; set; }
    public int Epoch { get; set; }
    public long Step { get; set; }
    public double? ValidationScore { get; set; }
    public Dictionary<string, double>? ValidationByKind { get; set; }
    public double? MedianDiameter { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModelEvaluation? Evaluation { get; set; }
    /// <summary>Optional (absent before `nuclei adapt`; older readers skip it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<AdaptationRecord>? Adaptations { get; set; }
    /// <summary>Optional (absent but for a blend of two checkpoints; older readers skip it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BlendRecord? Blend { get; set; }
    public DateTime SavedUtc { get; set; }
    public long ParameterCount { get; set; }
    public string? WeightsSha256 { get; set; }
}
