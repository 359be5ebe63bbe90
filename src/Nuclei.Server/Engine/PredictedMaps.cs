using Nuclei.Core.Imaging;

namespace Nuclei.Server.Engine;

/// <summary>
/// What the network said of one image, at the image's size: the maps post-processing needs (cached per image, so a
/// threshold change re-runs only post-processing).
/// </summary>
internal sealed record PredictedMaps(FloatImage Body, FloatImage? Contour, FloatImage? Marker)
{
    /// <summary>Bytes held, for the session's size limit.</summary>
    public long Bytes => 4L * (Body.Data.Length + (Contour?.Data.Length ?? 0) + (Marker?.Data.Length ?? 0));
}
