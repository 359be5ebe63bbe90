using Nuclei.Core.Imaging;

namespace Nuclei.Torch.Training;

/// <summary>
/// One decoded training image with its label map, held in memory for the whole run. <see cref="Group"/> is what
/// balancing samples by; <see cref="Kind"/> the image's kind (<see cref="Nuclei.Core.Data.ImageKind"/>), for per-kind scores.
/// </summary>
internal sealed record TrainingItem(string Id, FloatImage Image, LabelImage Labels, string Group, string Kind = "");
