namespace Nuclei.Core.Data;

/// <summary>
/// An image to process: its id (names the outputs, e.g. <c>DIR/&lt;id&gt;.png</c>; a relative path such as
/// <c>sub/dir/x</c> for an image found by a recursive folder scan) and its file; <paramref name="Plane"/> is the 1-based
/// z plane when each plane of a stack is an image of its own (<c>--z each</c>).
/// </summary>
public sealed record InputImage(string Id, string ImagePath, int? Plane = null);
