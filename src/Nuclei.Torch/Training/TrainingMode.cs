using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Nuclei.Torch.Training;

/// <summary>
/// Puts a network in training mode, optionally with its batch-norm layers kept in evaluation mode: their running
/// statistics then stay those of the checkpoint it started from, and each batch is normalised by them instead of by its
/// own. Fine-tuning on a handful of images needs that, or a few batches of one kind of image overwrite statistics
/// learnt from hundreds (the usual practice for small fine-tuning batches, e.g. Detectron's FrozenBatchNorm2d).
/// </summary>
internal static class TrainingMode
{
    public static void Set(Module net, bool freezeBatchNorm)
    {
        net.train();
        if (freezeBatchNorm) FreezeBatchNorm(net);
    }

    /// <summary>Every batch-norm layer of <paramref name="net"/> to evaluation mode (the rest left as it is).</summary>
    public static void FreezeBatchNorm(Module net)
    {
        foreach (var module in net.modules())
            if (module is BatchNorm) module.eval();
    }
}
