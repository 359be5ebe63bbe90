using Nuclei.Core.Export;
using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Output;

/// <summary>One image's result as the exporters read it; the outlines are traced once however many formats use them.</summary>
internal sealed class ExportedImage(LabelImage labels, double? pixelSizeUm, IReadOnlyList<NucleusMeasurement>? measurements)
{
    readonly Lazy<IReadOnlyList<NucleusOutline>> outlines = new(() => NucleusOutline.Of(labels));

    public LabelImage Labels => labels;
    public double? PixelSizeUm => pixelSizeUm;
    public IReadOnlyList<NucleusOutline> Outlines => outlines.Value;

    /// <summary>The measurements by label, for a format that <see cref="Exporter.NeedsMeasurements"/>.</summary>
    public IReadOnlyDictionary<int, NucleusMeasurement> MeasurementsByLabel =>
        (measurements ?? throw new ArgumentException("this export needs the nuclei's measurements")).ToDictionary(m => m.Label);
}
