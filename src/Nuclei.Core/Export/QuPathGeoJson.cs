using System.Text.Json;
using Nuclei.Core.IO;
using Nuclei.Core.Measurements;

namespace Nuclei.Core.Export;

/// <summary>
/// Nuclei as a GeoJSON FeatureCollection that QuPath imports as detections (File › Import objects, or drag and drop):
/// one Feature per nucleus with its pixel-edge outline (a Polygon with holes, or a MultiPolygon when the nucleus
/// has several pieces), <c>objectType: detection</c>, the classification <c>Nucleus</c>, its label as name and,
/// when given, its measurements (named as in <c>measurements.csv</c>). Coordinates are pixels, (0,0) the image's
/// top-left corner, as QuPath uses them.
/// </summary>
internal static class QuPathGeoJson
{
    public const string Extension = ".geojson";
    public const string ClassName = "Nucleus";

    /// <summary>Writes the file atomically.</summary>
    public static void Write(string path, IReadOnlyList<NucleusOutline> outlines,
        IReadOnlyDictionary<int, NucleusMeasurement>? measurements, double? pixelSizeUm) =>
        AtomicFile.WriteAllBytes(path, Encode(outlines, measurements, pixelSizeUm));

    /// <summary>The file's bytes (UTF-8 JSON), encoded in memory.</summary>
    public static byte[] Encode(IReadOnlyList<NucleusOutline> outlines,
        IReadOnlyDictionary<int, NucleusMeasurement>? measurements, double? pixelSizeUm)
    {
        var stream = new MemoryStream();
        {
            using var json = new Utf8JsonWriter(stream);
            json.WriteStartObject();
            json.WriteString("type", "FeatureCollection");
            json.WriteStartArray("features");
            foreach (var outline in outlines)
                WriteFeature(json, outline, measurements?.GetValueOrDefault(outline.Label), pixelSizeUm);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>One Feature (also used by writers that stream a collection too large to hold).</summary>
    public static void WriteFeature(Utf8JsonWriter json, NucleusOutline outline, NucleusMeasurement? m, double? pixelSizeUm)
    {
        json.WriteStartObject();
        json.WriteString("type", "Feature");
        json.WriteStartObject("geometry");
        if (outline.Pieces.Count == 1)
        {
            json.WriteString("type", "Polygon");
            json.WritePropertyName("coordinates");
            WritePolygon(json, outline.Pieces[0]);
        }
        else
        {
            json.WriteString("type", "MultiPolygon");
            json.WriteStartArray("coordinates");
            foreach (var piece in outline.Pieces) WritePolygon(json, piece);
            json.WriteEndArray();
        }
        json.WriteEndObject();

        json.WriteStartObject("properties");
        json.WriteString("objectType", "detection");
        json.WriteString("name", outline.Label.ToString(System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartObject("classification");
        json.WriteString("name", ClassName);
        json.WriteStartArray("color");
        foreach (int c in new[] { 230, 25, 75 }) json.WriteNumberValue(c);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteNumber("label", outline.Label);
        if (m is not null)
        {
            json.WriteStartObject("measurements");
            foreach (var (name, value) in MeasurementColumns.Values(m, pixelSizeUm, m.Intensity.Count))
                if (value is double v && double.IsFinite(v)) json.WriteNumber(name, v);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>A polygon: the shell, then its holes, each ring closed (first vertex repeated), as GeoJSON asks.</summary>
    static void WritePolygon(Utf8JsonWriter json, PixelPolygon polygon)
    {
        json.WriteStartArray();
        WriteRing(json, polygon.Shell);
        foreach (var hole in polygon.Holes) WriteRing(json, hole);
        json.WriteEndArray();
    }

    static void WriteRing(Utf8JsonWriter json, IReadOnlyList<GridPoint> ring)
    {
        json.WriteStartArray();
        foreach (var p in ring.Append(ring[0]))
        {
            json.WriteStartArray();
            json.WriteNumberValue(p.X);
            json.WriteNumberValue(p.Y);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }
}
