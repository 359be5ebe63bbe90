using Nuclei.Torch.Models;

namespace Nuclei.Torch.Checkpoints;

/// <summary>What a checkpoint says about itself, read without building its network (<see cref="Checkpoint.ReadInfo"/>).</summary>
internal sealed record CheckpointSummary(int FormatVersion, string ModelName, ModelOptions Options, IReadOnlyList<string> Heads,
    long ParameterCount, CheckpointInfo Info);
