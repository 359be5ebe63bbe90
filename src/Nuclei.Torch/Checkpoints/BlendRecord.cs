namespace Nuclei.Torch.Checkpoints;

/// <summary>
/// How a checkpoint was made by weight-space blending (<see cref="CheckpointBlending"/>): the two checkpoints' file
/// names and their SHA-256 digests (first 16 hex digits), and the share of the second one's weights.
/// </summary>
internal sealed record BlendRecord(DateTime BlendedUtc, string First, string FirstSha256, string Second, string SecondSha256, double Weight);
