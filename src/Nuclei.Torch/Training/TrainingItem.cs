using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Training;

/// <summary>One decoded training image with its label map, held in memory for the whole run.</summary>
public sealed record TrainingItem(string Id, FloatImage Image, LabelImage Labels, string Group);
