namespace Nuclei.Torch.Inference;

/// <summary>One tile along one axis of the image being predicted: where its span starts, how long it is, and each of its pixels' blend weight.</summary>
internal sealed record TileSpan(int Start, int Length, float[] Weights);
