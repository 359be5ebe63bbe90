using Nuclei.Core.Imaging;

namespace Nuclei.Core.Data.Converting;

/// <summary>An image file and its instance labels, decoded on demand (a reader's problem surfaces when the labels are loaded).</summary>
internal sealed record ConvertibleSample(string Id, string ImagePath, Func<LabelImage> LoadLabels);
