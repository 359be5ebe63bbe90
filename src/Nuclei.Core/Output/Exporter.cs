using Nuclei.Core.Imaging;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Output;

/// <summary>
/// One format of <c>--export</c>, described once (an entry of <see cref="ExportFormats.All"/>): the writer's files, the
/// <c>--export</c> help and the server's downloads are all made from it.
/// </summary>
internal sealed class Exporter
{
    /// <summary>Its flag in <see cref="OutputOptions.Exports"/>.</summary>
    public required ExportFormat Format { get; init; }
    /// <summary>The name <c>--export</c> takes, e.g. <c>geojson</c>.</summary>
    public required string Name { get; init; }
    /// <summary>What follows the image id in its file name, e.g. <c>.geojson</c>.</summary>
    public required string Suffix { get; init; }
    /// <summary>What the file is, as the <c>--export</c> help says it.</summary>
    public required string Description { get; init; }
    /// <summary>Its short name on the server's page.</summary>
    public required string Label { get; init; }
    /// <summary>Its media type when downloaded.</summary>
    public required string ContentType { get; init; }
    /// <summary>Whether it carries each nucleus' measurements, so they are made even without <c>--measure</c>.</summary>
    public bool NeedsMeasurements { get; init; }

    /// <summary>Encodes the file; the writer gives all its formats one <see cref="ExportedImage"/>, so outlines are traced once.</summary>
    internal Func<ExportedImage, byte[]> EncodeFile { get; init; } = null!;

    /// <summary>The file's bytes for one image's labels.</summary>
    /// <param name="measurements">the nuclei's measurements; required when <see cref="NeedsMeasurements"/></param>
    public byte[] Encode(LabelImage labels, double? pixelSizeUm, IReadOnlyList<NucleusMeasurement>? measurements = null) =>
        EncodeFile(new ExportedImage(labels, pixelSizeUm, measurements));
}
