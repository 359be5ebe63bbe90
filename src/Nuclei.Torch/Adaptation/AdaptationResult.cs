using Nuclei.Core.PostProcessing;
using Nuclei.Torch.Checkpoints;

namespace Nuclei.Torch.Adaptation;

/// <summary>What an adaptation did: the checkpoint written, what it records, the thresholds chosen, and the images that could not be read.</summary>
/// <param name="Failures">image path → why it could not be used (the others were)</param>
internal sealed record AdaptationResult(string OutPath, AdaptationRecord Record, PartitionOptions Partition, double TuningScore,
    IReadOnlyDictionary<string, string> Failures);
