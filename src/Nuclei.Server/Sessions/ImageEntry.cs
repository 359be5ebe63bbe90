using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;
using Nuclei.Server.Engine;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Sessions;

/// <summary>
/// One segmented image of the session: the image, its cached maps and the current result. The result is replaced as a
/// whole (<see cref="Result"/>) when the thresholds change or the user's corrections are saved, so a reader never sees
/// labels and measurements of two runs; changes that depend on the current result go through <see cref="Change"/>.
/// </summary>
internal sealed class ImageEntry
{
    public ImageEntry(string id, string name, FloatImage image, PredictedMaps maps, SessionResult result, double predictSeconds, UploadFields? fields = null)
    {
        Id = id; Name = name; Image = image; Maps = maps; this.result = result; PredictSeconds = predictSeconds;
        Fields = fields ?? new UploadFields(Core.IO.PlaneChoice.Default, null);
    }

    /// <summary>Random, server-chosen; the only handle the client has on the image.</summary>
    public string Id { get; }
    /// <summary>Safe file-name stem derived from the upload's name, used for downloads only.</summary>
    public string Name { get; }
    public FloatImage Image { get; }
    public PredictedMaps Maps { get; }
    public double PredictSeconds { get; }
    /// <summary>The channel, z and diameter it was segmented with.</summary>
    public UploadFields Fields { get; }
    /// <summary>The file it was decoded from, as it arrived (null for an entry not made from an upload).</summary>
    public UploadedFile? Upload { get; init; }

    readonly object gate = new();
    SessionResult result;
    public SessionResult Result { get => Volatile.Read(ref result); set => Volatile.Write(ref result, value); }

    /// <summary>Replaces the result by what <paramref name="change"/> makes of it, one change at a time (a save cannot slip between a check and a rethreshold).</summary>
    public SessionResult Change(Func<SessionResult, SessionResult> change)
    {
        lock (gate)
        {
            var next = change(Result);
            Result = next;
            return next;
        }
    }

    /// <summary>Memory held, for the session limit (image, maps, labels; measurements are small beside them).</summary>
    public long Bytes => 4L * Image.Data.Length + Maps.Bytes + 4L * Image.Height * Image.Width;
}

/// <summary>
/// Labels of an image under some thresholds, with their measurements and how long post-processing took; or, with a
/// <see cref="Correction"/>, the labels the user saved from the page (the thresholds those edits started from).
/// </summary>
internal sealed record SessionResult(Thresholds Thresholds, LabelImage Labels, IReadOnlyList<NucleusMeasurement> Nuclei, double PostProcessSeconds,
    Correction? Correction = null);
