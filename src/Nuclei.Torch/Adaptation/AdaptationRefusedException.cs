namespace Nuclei.Torch.Adaptation;

/// <summary>The adaptation ran but its model is not kept (it would be worse, or there was nothing to learn from); nothing was written.</summary>
internal sealed class AdaptationRefusedException(string message) : Exception(message);
