using Nuclei.Core.Imaging;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Nuclei.Torch.Inference;

/// <summary>
/// An image segmented by a detector model: normalised as in training, padded on the bottom and right (edge values) to the
/// size multiple, detected in one pass, and the detections painted into a label map at the image's size
/// (<see cref="Models.Detection.DetectionPainter"/>), with the foreground probability map beside it.
/// </summary>
internal static class DetectorSegmentation
{
    public static (LabelImage Labels, FloatImage Foreground) Segment(InferenceModel model, FloatImage image)
    {
        var detector = model.Detector ?? throw new ArgumentException("not a detector model", nameof(model));
        var adapted = InputPreparation.AdaptChannels(image, model.InChannels);
        float[] planar = model.Normalize(adapted);
        int m = model.SizeMultiple;
        int ph = TileLayout.RoundUp(image.Height, m), pw = TileLayout.RoundUp(image.Width, m);
        using var gate = FinalizerGate.Enter();   // see FinalizerGate: no finalizer may free a Scalar mid-call
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(planar, new long[] { 1, model.InChannels, image.Height, image.Width });
        var padded = F.pad(input, [0, pw - image.Width, 0, ph - image.Height], PaddingModes.Replicate);
        var detections = detector.Detect(padded)[0];
        return detector.Painter.Paint(detections, image.Height, image.Width);
    }
}
