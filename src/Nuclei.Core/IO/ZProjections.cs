using Nuclei.Core.Imaging;

namespace Nuclei.Core.IO;

/// <summary>
/// Z planes combined into one image, per pixel and channel: maximum-intensity or mean projection (ImageJ's
/// Image › Stacks › Z Project, "Max Intensity" and "Average Intensity").
/// </summary>
internal static class ZProjections
{
    /// <exception cref="NucleiInputException">planes of different sizes or channel counts.</exception>
    public static FloatImage Combine(IReadOnlyList<FloatImage> planes, ZProjection projection, string path)
    {
        var first = planes[0];
        if (planes.Count == 1) return first;
        foreach (var (plane, k) in planes.Select((p, k) => (p, k)))
            if (plane.Height != first.Height || plane.Width != first.Width || plane.Channels != first.Channels)
                throw new NucleiInputException(path, $"z plane {k + 1} is {plane.Height}x{plane.Width}x{plane.Channels} but plane 1 is {first.Height}x{first.Width}x{first.Channels}");
        var result = new FloatImage(first.Height, first.Width, first.Channels, (float[])first.Data.Clone());
        var data = result.Data;
        foreach (var plane in planes.Skip(1))
            for (int i = 0; i < data.Length; i++)
                data[i] = projection == ZProjection.Max ? MathF.Max(data[i], plane.Data[i]) : data[i] + plane.Data[i];
        if (projection == ZProjection.Mean)
            for (int i = 0; i < data.Length; i++) data[i] /= planes.Count;
        else if (projection != ZProjection.Max)
            throw new ArgumentException($"z planes cannot be combined with {projection}");
        return result;
    }
}
