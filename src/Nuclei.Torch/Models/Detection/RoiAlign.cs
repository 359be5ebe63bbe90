using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Nuclei.Torch.Models.Detection;

/// <summary>
/// RoIAlign (He et al. 2017, "Mask R-CNN" §3) as torchvision.ops.roi_align with aligned = True: each of the
/// output × output bins of a box averages sampling × sampling bilinear samples at regularly spaced points, pixel centres
/// at integer coordinates minus half a pixel (the "aligned" shift). The samples are taken with grid_sample, so gradients
/// flow to the features; points in the half pixel outside the map read the border value, as torchvision clamps them.
/// TorchSharp has no roi_align.
/// </summary>
internal static class RoiAlign
{
    /// <summary>
    /// Pools <paramref name="input"/> [B, C, H, W] over <paramref name="boxes"/> [K, 4] (image pixels; box k reads map
    /// <paramref name="batchIndex"/>[k]) scaled by <paramref name="spatialScale"/>: [K, C, output, output].
    /// </summary>
    public static Tensor Apply(Tensor input, Tensor boxes, Tensor batchIndex, double spatialScale, int output, int sampling)
    {
        long channels = input.shape[1];
        if (boxes.shape[0] == 0) return zeros(0, channels, output, output, dtype: input.dtype);
        using var scope = NewDisposeScope();
        var pooled = new List<Tensor>();
        var order = new List<Tensor>();
        long[] maps = batchIndex.unique().Item1.data<long>().ToArray();
        foreach (long map in maps)
        {
            var members = (batchIndex == map).nonzero().flatten();
            pooled.Add(FromOneMap(input.narrow(0, map, 1), boxes.index_select(0, members), spatialScale, output, sampling));
            order.Add(members);
        }
        var all = cat(pooled, 0);
        var inverse = cat(order, 0).argsort();
        return all.index_select(0, inverse).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every box of <paramref name="boxes"/> [K, 4] pooled from <paramref name="map"/> [1, C, H, W]. libtorch's CPU
    /// grid_sample runs its batch dimension in parallel and nothing else, so the boxes are dealt into one group per
    /// thread, each group sampling its own view of the map (an expand: no copy; the backward pass sums the groups'
    /// gradients). Each group's samples are averaged per bin while the boxes still lie one above the other in one
    /// plane, so only the pooled result, sampling² times smaller, is rearranged box by box.
    /// </summary>
    private static Tensor FromOneMap(Tensor map, Tensor boxes, double spatialScale, int output, int sampling)
    {
        long k = boxes.shape[0], c = map.shape[1], h = map.shape[2], w = map.shape[3];
        long groups = Math.Min(k, Math.Max(1, get_num_threads()));
        long perGroup = (k + groups - 1) / groups;
        if (perGroup * groups > k) boxes = cat([boxes, boxes[..1].expand(perGroup * groups - k, 4)], 0);   // filler boxes, dropped below
        int points = output * sampling;
        var scaled = boxes * spatialScale - 0.5;
        var steps = (arange(points, dtype: ScalarType.Float32) + 0.5) / points;          // fractions of the box, [S]
        var xs = scaled[.., 0..1] + (scaled[.., 2..3] - scaled[.., 0..1]) * steps;      // [K, S], map pixel coordinates
        var ys = scaled[.., 1..2] + (scaled[.., 3..4] - scaled[.., 1..2]) * steps;
        long padded = perGroup * groups;
        // grid_sample with align_corners = False puts pixel i's centre at (2i + 1) / size − 1.
        var gx = ((xs * 2 + 1) / w - 1)[.., TensorIndex.None, ..].expand(padded, points, points);
        var gy = ((ys * 2 + 1) / h - 1)[.., .., TensorIndex.None].expand(padded, points, points);
        var grid = stack([gx, gy], -1).reshape(groups, perGroup * points, points, 2).to(map.dtype);
        var samples = F.grid_sample(map.expand(groups, c, h, w), grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        var bins = F.avg_pool2d(samples, sampling);                                      // [G, C, perGroup·output, output]
        var perBox = bins.view(groups, c, perGroup, output, output).permute(0, 2, 1, 3, 4).reshape(padded, c, output, output);
        return padded == k ? perBox : perBox[..(int)k];
    }
}
