namespace Nuclei.Core.Data;

/// <summary>
/// An image to process: its id (names the outputs, e.g. <c>DIR/&lt;id&gt;.png</c>; a relative path such as
/// <c>sub/dir/x</c> for an image found by a recursive folder scan) and its file; <paramref name="Plane"/> is the 1-based
/// z plane when each plane of a stack is an image of its own (<c>--z each</c>). An input that was found but cannot be
/// read (a DSB sample folder without an image, a looping link) carries its <see cref="Problem"/>: it fails on its own
/// in the batch instead of stopping the scan.
/// </summary>
internal sealed record InputImage(string Id, string ImagePath, int? Plane = null, string? Problem = null)
{
    /// <summary>Throws the input's <see cref="Problem"/> as an input error naming its path, if it has one.</summary>
    public void ThrowIfUnreadable()
    {
        if (Problem is not null) throw new NucleiInputException(ImagePath, Problem);
    }
}
