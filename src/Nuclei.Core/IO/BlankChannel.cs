using Nuclei.Core.Imaging;

namespace Nuclei.Core.IO;

/// <summary>
/// A chosen channel with nothing in it while another channel of the same file has signal: one `--channel` for a whole
/// batch picks the wrong channel of a file whose channels come in another order (DAPI shown in blue in a PNG beside a
/// two-channel TIFF), and segmenting that channel finds no nuclei without saying why. The image is still segmented (a
/// truly empty field has no nuclei either, and a stain that is nearly all background is not wrong); the warning names
/// the file, the channel and where the signal is.
/// </summary>
internal static class BlankChannel
{
    /// <summary>Non-zero samples below this fraction make a channel nearly all 0 (a field with one small nucleus can fall under it: hence a warning, not a refusal).</summary>
    const double NearlyAllZero = 1e-4;

    /// <summary>Channel <paramref name="channel"/> of <paramref name="image"/> holds one value everywhere, or under 1 sample in 10,000 that is not 0.</summary>
    public static bool IsBlank(FloatImage image, int channel = 0)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        long nonZero = 0, samples = (long)image.Height * image.Width;
        for (long i = channel; i < image.Data.LongLength; i += image.Channels)
        {
            float v = image.Data[i];
            if (v < min) min = v;
            if (v > max) max = v;
            if (v != 0) nonZero++;
        }
        return max <= min || nonZero < NearlyAllZero * samples;
    }

    /// <summary>The warning for a blank chosen channel, or null when no other channel has signal either (a blank image, nothing to choose).</summary>
    /// <param name="asked">the --channel as given (a number or a name)</param>
    /// <param name="chosen">the channel it picked, 0-based</param>
    /// <param name="names">every channel's name as shown to the user ("red", "DAPI", "channel 2"), in order</param>
    /// <param name="withSignal">0-based channels, other than <paramref name="chosen"/>, that are not blank</param>
    public static string? Warning(string path, string asked, int chosen, IReadOnlyList<string> names, IReadOnlyList<int> withSignal)
    {
        if (withSignal.Count == 0) return null;
        string Named(int c) => names[c] == $"channel {c + 1}" ? $"channel {c + 1}" : $"channel {c + 1} ({names[c]})";
        int best = withSignal.FirstOrDefault(c => NuclearChannelNames.LooksNuclear(names[c]), withSignal[0]);
        string byName = NuclearChannelNames.LooksNuclear(names[best])
            ? $", or --channel {names[best]}, which finds it by name in every file that names its channels" : "";
        string reads = asked == $"{chosen + 1}" ? Named(chosen) : $"channel {chosen + 1}";
        return $"{path}: --channel {asked} reads {reads}, which is blank (one value everywhere, or nearly all 0), "
            + $"while {string.Join(", ", withSignal.Select(Named))} {(withSignal.Count == 1 ? "has" : "have")} signal: no nuclei can be found in it. "
            + $"If the nuclei are in {Named(best)}, give --channel {best + 1} for this file{byName}";
    }
}
