using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data;

/// <summary>
/// A label map known by id, decoded on demand. <see cref="Source"/> names where it comes from (a file, or
/// "file.csv" for run-length rows) for error messages. <see cref="Load"/> takes the expected size: CSV
/// submissions have no size of their own and are decoded at the size of the matching truth.
/// </summary>
internal sealed record LabelEntry(string Id, string Source, Func<(int Height, int Width)?, LabelImage> Load);
