using System.Diagnostics;
using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Server.Sessions;

/// <summary>
/// The user's corrected label map of an image, made its result (so every download and the page after a reload show
/// it) with its measurements, and remembered as a correction for the training set.
/// </summary>
internal static class LabelCorrections
{
    /// <summary>The new result; the count before edits stays the model's, however many times the image is saved.</summary>
    public static SessionResult Save(ImageEntry entry, LabelImage labels, DateTimeOffset now) =>
        entry.Change(current =>
        {
            var clock = Stopwatch.StartNew();
            var nuclei = RegionMeasurer.Measure(labels, entry.Image);
            var correction = new Correction(current.Correction?.CountBefore ?? current.Nuclei.Count, now);
            return new SessionResult(current.Thresholds, labels, nuclei, clock.Elapsed.TotalSeconds, correction);
        });
}
