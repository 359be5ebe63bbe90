using static TorchSharp.torch;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// The box parametrisation of R-CNN (Girshick et al. 2014, appendix C; torchvision's BoxCoder): a box relative to a
/// reference as (wx·dx, wy·dy, ww·log(w/w_ref), wh·log(h/h_ref)), dx and dy the centre offset in reference widths and
/// heights. Decoding clamps dw and dh at log(1000/16), so that an untrained head cannot overflow exp.
/// </summary>
internal sealed class BoxCoder
{
    /// <summary>torchvision's bbox_xform_clip.</summary>
    public static readonly double MaxLogScale = Math.Log(1000.0 / 16);

    private readonly double _wx, _wy, _ww, _wh;

    public BoxCoder(double wx, double wy, double ww, double wh)
    {
        _wx = wx; _wy = wy; _ww = ww; _wh = wh;
    }

    /// <summary>The RPN's coder (unit weights).</summary>
    public static BoxCoder Rpn { get; } = new(1, 1, 1, 1);

    /// <summary>The box head's coder (torchvision's RoIHeads weights 10, 10, 5, 5).</summary>
    public static BoxCoder BoxHead { get; } = new(10, 10, 5, 5);

    /// <summary>Deltas [K, 4] that take each of <paramref name="references"/> [K, 4] to the matching box of <paramref name="boxes"/>.</summary>
    public Tensor Encode(Tensor boxes, Tensor references)
    {
        using var scope = NewDisposeScope();
        var (rx, ry, rw, rh) = CentreForm(references);
        var (bx, by, bw, bh) = CentreForm(boxes);
        var dx = (bx - rx) / rw * _wx;
        var dy = (by - ry) / rh * _wy;
        var dw = (bw / rw).log() * _ww;
        var dh = (bh / rh).log() * _wh;
        return stack([dx, dy, dw, dh], 1).MoveToOuterDisposeScope();
    }

    /// <summary>The boxes [K, 4] that <paramref name="deltas"/> [K, 4] make of <paramref name="references"/> [K, 4].</summary>
    public Tensor Decode(Tensor deltas, Tensor references)
    {
        using var scope = NewDisposeScope();
        var (rx, ry, rw, rh) = CentreForm(references);
        var dx = deltas[.., 0] / _wx;
        var dy = deltas[.., 1] / _wy;
        var dw = (deltas[.., 2] / _ww).clamp(max: MaxLogScale);
        var dh = (deltas[.., 3] / _wh).clamp(max: MaxLogScale);
        var cx = dx * rw + rx;
        var cy = dy * rh + ry;
        var halfW = dw.exp() * rw * 0.5;
        var halfH = dh.exp() * rh * 0.5;
        return stack([cx - halfW, cy - halfH, cx + halfW, cy + halfH], 1).MoveToOuterDisposeScope();
    }

    private static (Tensor X, Tensor Y, Tensor W, Tensor H) CentreForm(Tensor boxes)
    {
        var w = boxes[.., 2] - boxes[.., 0];
        var h = boxes[.., 3] - boxes[.., 1];
        return (boxes[.., 0] + 0.5 * w, boxes[.., 1] + 0.5 * h, w, h);
    }
}
