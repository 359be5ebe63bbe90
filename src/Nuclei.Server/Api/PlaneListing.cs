using Nuclei.Core.IO;
using Nuclei.Server.Uploads;

namespace Nuclei.Server.Api;

/// <summary>
/// What <c>POST /api/inspect</c> says of a file before it is segmented, so the page can offer a channel and z choice.
/// </summary>
/// <param name="Layout">single (a gray or colour picture), ome, imagej, or pages (a multi-page TIFF without metadata)</param>
/// <param name="Channels">channel names, in order (the <c>channel</c> field takes a 1-based number or a name)</param>
/// <param name="ZPlanes">z planes (the <c>z</c> field combines them: max or mean)</param>
/// <param name="NeedsChannel">the upload is refused without a <c>channel</c></param>
/// <param name="NeedsZ">the upload is refused without a <c>z</c></param>
/// <param name="Note">how to choose, for the page to show</param>
/// <param name="Suggested">the 1-based channel whose name looks nuclear (<see cref="NuclearChannelNames"/>), for the page to
/// choose first; null when no channel is named so</param>
internal sealed record PlaneListing(
    string Name, string Format, int Width, int Height, string Layout, IReadOnlyList<string> Channels, int ZPlanes,
    bool NeedsChannel, bool NeedsZ, string Note, int? Suggested = null)
{
    public static PlaneListing Of(string name, ImageHeader header, MultiPlaneImageLayout? layout, int pictureChannels)
    {
        string format = header.Format.ToString().ToLowerInvariant();
        if (layout is null)
        {
            string[] channels = pictureChannels == 1 ? ["gray"] : new[] { "red", "green", "blue", "alpha" }[..pictureChannels];
            return new PlaneListing(name, format, header.Width, header.Height, "single", channels, 1, false, false,
                pictureChannels == 1 ? "one plane" : "a colour picture: segmented as it is, or one channel of it");
        }
        var names = Enumerable.Range(0, layout.SizeC)
            .Select(c => layout.ChannelNames.ElementAtOrDefault(c) is { Length: > 0 } n ? n : $"channel {c + 1}").ToList();
        if (layout.Source == PlaneLayoutSource.Pages)
        {
            int pages = layout.Pages.Count;
            return new PlaneListing(name, format, header.Width, header.Height, "pages",
                Enumerable.Range(1, pages).Select(k => $"page {k}").ToList(), pages, true, false,
                $"{pages} pages without metadata: choose a channel (pages as channels) or z max/mean (pages as z planes), not both");
        }
        bool needChannel = layout.SizeC > 1, needZ = layout.SizeZ > 1;
        return new PlaneListing(name, format, header.Width, header.Height, layout.Source.ToString().ToLowerInvariant(), names,
            layout.SizeZ, needChannel, needZ,
            $"{layout.SizeC} channel(s), {layout.SizeZ} z plane(s), {layout.SizeT} time point(s)"
            + (needChannel ? "; choose a channel" : "") + (needZ ? "; choose z max or mean" : ""),
            NuclearChannelNames.Suggest(layout.ChannelNames) + 1);
    }
}
