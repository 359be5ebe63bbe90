namespace Nuclei.Core.Rle;

/// <summary>
/// One CSV row: an object of an image (<see cref="EncodedPixels"/> empty for "this image has no objects").
/// <see cref="Source"/> is "file:line", used in error messages. Height/Width are present in solution-style CSVs.
/// </summary>
internal sealed record RleRow(string ImageId, string EncodedPixels, string Source, int? Height = null, int? Width = null);
