using Nuclei.Core.Imaging;

namespace Nuclei.Core.Metrics;

/// <summary>
/// One 3D label stack's result in an evaluation, scored two ways with the same metric (<see cref="DsbMetric"/>):
/// <see cref="Volume"/> matches 3D nuclei by their IoU over voxels, so a nucleus cut in two across planes costs a
/// miss and false positives; <see cref="Planes"/> scores each z plane as a 2D image and averages over the planes
/// (as evaluating the planes' 2D maps would), blind to how the planes are joined.
/// </summary>
internal sealed record StackEvaluation(string Id, int Depth, ImageScore Volume, DatasetScore Planes, PixelOverlap Voxels)
{
    public static StackEvaluation Of(string id, LabelStack truth, LabelStack pred)
    {
        var planes = truth.Planes.Zip(pred.Planes, DsbMetric.Score).ToList();
        var voxels = truth.Planes.Zip(pred.Planes, PixelOverlap.Compute).Aggregate(new PixelOverlap(), (a, b) => a + b);
        return new StackEvaluation(id, truth.Depth, DsbMetric.Score(ObjectOverlaps.Compute(truth, pred)), DatasetScore.Aggregate(planes), voxels);
    }
}
