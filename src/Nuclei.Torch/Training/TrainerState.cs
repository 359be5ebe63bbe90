using System.Text.Json;

namespace Nuclei.Torch.Training;

/// <summary>
/// The trainer's own state saved in each checkpoint (its "random state" section): with the epoch and seed
/// every later random draw is re-derived (batches are seeded by (seed, epoch, position), libtorch by
/// (seed, epoch)), so nothing else needs saving for an exact resume.
/// </summary>
internal sealed record TrainerState
{
    public int Seed { get; init; }
    public int Epoch { get; init; }
    public long Step { get; init; }
    public double PlateauFactor { get; init; } = 1.0;
    public int ValidationsWithoutImprovement { get; init; }
    public double? BestMeanAp { get; init; }
    public int? BestEpoch { get; init; }
    public double ElapsedSeconds { get; init; }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static TrainerState FromBytes(byte[] bytes) => JsonSerializer.Deserialize<TrainerState>(bytes)
        ?? throw new InvalidDataException("empty trainer state");
}
