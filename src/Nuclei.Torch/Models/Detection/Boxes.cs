using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// Box geometry on [K, 4] tensors of (x1, y1, x2, y2) in pixels, as torchvision.ops.boxes (box_area, box_iou,
/// clip_boxes_to_image, remove_small_boxes). TorchSharp's TorchVision package has the first two only, so the four live here.
/// </summary>
internal static class Boxes
{
    public static Tensor Area(Tensor boxes)
    {
        using var w = boxes[.., 2] - boxes[.., 0];
        using var h = boxes[.., 3] - boxes[.., 1];
        return w * h;
    }

    /// <summary>Intersection over union of every box of <paramref name="a"/> [N, 4] with every box of <paramref name="b"/> [M, 4]: [N, M].</summary>
    public static Tensor Iou(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var topLeft = maximum(a[.., TensorIndex.None, ..2], b[TensorIndex.None, .., ..2]);
        var bottomRight = minimum(a[.., TensorIndex.None, 2..], b[TensorIndex.None, .., 2..]);
        var wh = (bottomRight - topLeft).clamp_(min: 0);
        var intersection = wh[.., .., 0] * wh[.., .., 1];
        var union = Area(a)[.., TensorIndex.None] + Area(b)[TensorIndex.None, ..] - intersection;
        // Empty boxes have a zero union: their IoU is 0, not NaN.
        return (intersection / union.clamp(min: 1e-12)).MoveToOuterDisposeScope();
    }

    /// <summary>Boxes clipped to the image [0, width] × [0, height].</summary>
    public static Tensor Clip(Tensor boxes, long height, long width)
    {
        using var scope = NewDisposeScope();
        var x1 = boxes[.., 0].clamp(0, width);
        var y1 = boxes[.., 1].clamp(0, height);
        var x2 = boxes[.., 2].clamp(0, width);
        var y2 = boxes[.., 3].clamp(0, height);
        return stack([x1, y1, x2, y2], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Indices of the boxes at least <paramref name="minSize"/> wide and high.</summary>
    public static Tensor IndicesOfLarge(Tensor boxes, double minSize)
    {
        using var scope = NewDisposeScope();
        var w = boxes[.., 2] - boxes[.., 0];
        var h = boxes[.., 3] - boxes[.., 1];
        return ((w >= minSize) & (h >= minSize)).nonzero().flatten().MoveToOuterDisposeScope();
    }
}
