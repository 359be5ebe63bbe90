using Nuclei.Torch.Models;

namespace Nuclei.Torch.Checkpoints;

/// <summary>A checkpoint read back: the rebuilt network (in eval mode) and what was saved with it.</summary>
internal sealed record LoadedCheckpoint(string Path, int FormatVersion, string ModelName, ModelOptions Options,
    CheckpointInfo Info, SegmentationNet Net);
