using Nuclei.Core.Measurements;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Api;

/// <summary>What the page shows of one image: size, count, thresholds, timings and the nuclei's measurements as a table.</summary>
/// <param name="Columns">"label" then the columns of measurements.csv</param>
/// <param name="Nuclei">one row per nucleus, values in <paramref name="Columns"/>' order (null where not finite)</param>
/// <param name="Channel">the channel segmented (as the upload's field gave it), null when none was chosen</param>
/// <param name="Z">the z projection, null when none was chosen</param>
/// <param name="Diameter">"auto" or "N px" when the image was rescaled by a diameter, else null</param>
/// <param name="Corrected">the labels are the user's saved corrections (thresholds cannot change until they are discarded)</param>
internal sealed record ImageSummary(
    string Id, string Name, int Width, int Height, int Channels, int Count, Thresholds Thresholds,
    double PredictSeconds, double PostProcessSeconds, IReadOnlyList<string> Columns, IReadOnlyList<double?[]> Nuclei,
    string? Channel = null, string? Z = null, string? Diameter = null, bool Corrected = false)
{
    public static ImageSummary Of(ImageEntry e)
    {
        var r = e.Result;
        int channels = e.Image.Channels;
        var columns = new[] { "label" }.Concat(MeasurementColumns.Names(null, channels)).ToList();
        var rows = r.Nuclei.Select(m => new double?[] { m.Label }
            .Concat(MeasurementColumns.Values(m, null, channels).Select(c => c.Value is double v && double.IsFinite(v) ? v : (double?)null))
            .ToArray()).ToList();
        return new ImageSummary(e.Id, e.Name, e.Image.Width, e.Image.Height, channels, r.Nuclei.Count, r.Thresholds,
            e.PredictSeconds, r.PostProcessSeconds, columns, rows, e.Fields.Planes.Channel,
            e.Fields.Planes.Z == Core.IO.ZProjection.None ? null : e.Fields.Planes.Z.ToString().ToLowerInvariant(), e.Fields.Diameter?.ToString(),
            r.Correction is not null);
    }
}

/// <summary>One line of the session's image list.</summary>
internal sealed record ImageListItem(string Id, string Name, int Width, int Height, int Count)
{
    public static ImageListItem Of(ImageEntry e) => new(e.Id, e.Name, e.Image.Width, e.Image.Height, e.Result.Nuclei.Count);
}
