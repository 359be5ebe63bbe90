using static TorchSharp.torch;

namespace Nuclei.Torch.Training;

/// <summary>The training objective on logits [N, heads, H, W] against targets (and optional pixel weights) of the same shape.</summary>
internal interface ITrainingLoss
{
    Tensor Compute(Tensor logits, Tensor targets, Tensor? weights);
}
