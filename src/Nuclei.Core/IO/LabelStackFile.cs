using Nuclei.Core.Imaging;

namespace Nuclei.Core.IO;

/// <summary>
/// A 3D label stack in a multi-page TIFF: what <c>segment --z stitch</c> writes (<see cref="Export.LabelStackTiff"/>),
/// and what Fiji saves from a z-stack of labels. The pages are the z planes: by the ImageJ or OME metadata (one
/// channel, one time point), or in page order in a TIFF without either. Each page holds whole numbers (8-, 16- or
/// 32-bit integers, or float), read as they are.
/// </summary>
internal static class LabelStackFile
{
    /// <summary>True for a TIFF of more than one full-resolution page (headers only, see <see cref="MultiPlaneImage.Describe"/>).</summary>
    public static bool IsStack(string path) => Export.LabelStackTiff.IsStackFile(path) || MultiPlaneImage.Describe(path) is not null;

    /// <exception cref="NucleiInputException">not a multi-page TIFF, several channels or time points, pages of different sizes, or pages that are no label maps</exception>
    public static LabelStack Read(string path)
    {
        RegularFile.Require(path, "label stack");
        var layout = MultiPlaneImage.Describe(path) ?? throw new NucleiInputException(path, "not a label stack: a TIFF of several pages (z planes) was expected");
        if (layout.SizeC > 1 || layout.SizeT > 1)
            throw new NucleiInputException(path, $"{layout.SizeC} channels and {layout.SizeT} time points; a label stack has one of each (its pages are z planes)");
        var pageIndices = layout.Source == PlaneLayoutSource.Pages
            ? layout.Pages.Values.Order().ToList()
            : Enumerable.Range(0, layout.SizeZ).Select(z => layout.Pages[(0, z, 0)]).ToList();
        var declared = ImageGate.Open(path);
        var pages = pageIndices.Select(i => declared.Pages[i]).ToList();
        var odd = pages.FirstOrDefault(p => p.Width != pages[0].Width || p.Height != pages[0].Height);
        if (odd is not null)
            throw new NucleiInputException(path, $"page {odd.Index + 1} is {odd.Size} but page {pages[0].Index + 1} is {pages[0].Size}; a label stack's planes have one size");
        ImageGate.AdmitWhole(declared, pages);
        using var tiff = MultiPlaneImagePage.Open(path) ?? throw new NucleiInputException(path, "cannot open the TIFF");
        return new LabelStack(pages.Select(p => MultiPlaneImagePage.ReadLabels(tiff, p, path)).ToList());
    }
}
