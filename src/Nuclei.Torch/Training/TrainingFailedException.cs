namespace Nuclei.Torch.Training;

/// <summary>
/// Training ran but did not produce a usable model: too many non-finite steps, non-finite weights at the end, or a
/// validation score that never rose above 0. Not an input error: `nuclei train` reports it and exits with 1.
/// </summary>
internal sealed class TrainingFailedException(string message) : Exception(message);
