using System.Text.Json;
using Nuclei.Core.IO;

namespace Nuclei.Core.Output;

/// <summary>
/// The per-image records of an output folder, one JSON file each in <c>DIR/.nuclei-records/&lt;id&gt;.json</c> (in sub-folders for an id that is a relative path).
/// A record is written (atomically) only after every output of its image is in place, so the records are the
/// journal from which <c>summary.csv</c>, <c>measurements.csv</c>, the submission CSV and <c>report.html</c> are rebuilt: they survive a killed run, and runs
/// that share the folder, one after another or at once, see each other's images.
/// </summary>
public sealed class ImageRecords
{
    public const string FolderName = ".nuclei-records";
    const string Extension = ".json";

    // Named literals: a measurement may be NaN (e.g. the eccentricity of a one-pixel nucleus).
    // Fields: an evaluation's matches are (true, predicted) tuples.
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        IncludeFields = true,
    };

    public string OutputDir { get; }
    public string Folder { get; }

    public ImageRecords(string outputDir)
    {
        OutputDir = outputDir;
        Folder = Path.Combine(outputDir, FolderName);
    }

    public string PathOf(string id) => Path.Combine(Folder, id + Extension);

    public static byte[] Serialize(ImageRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, Json);

    /// <summary>The record of <paramref name="id"/>, or null when it is missing or unreadable (then the image counts as not done).</summary>
    public ImageRecord? Read(string id) => ReadFile(PathOf(id));

    /// <summary>True when the record is final and every file it lists is there with the recorded size.</summary>
    public bool IsComplete(ImageRecord record) => record.Complete && FilesPresent(record);

    bool FilesPresent(ImageRecord record) => record.Files.All(f =>
    {
        var info = new FileInfo(Path.Combine(OutputDir, f.Name));
        return info.Exists && info.Length == f.Bytes;
    });

    /// <summary>Every record whose output files are all present, sorted by image id (ordinal).</summary>
    public IReadOnlyList<ImageRecord> ReadAll()
    {
        if (!Directory.Exists(Folder)) return Array.Empty<ImageRecord>();
        return Directory.EnumerateFiles(Folder, "*" + Extension, SearchOption.AllDirectories) // ids may be relative paths
            .Where(p => !TemporaryFiles.IsTemporary(p))
            .Select(ReadFile)
            .OfType<ImageRecord>()
            .Where(IsComplete)
            .OrderBy(r => r.Image, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>How many records the folder holds, complete or not (those <see cref="ReadAll"/> leaves out are of unfinished images).</summary>
    public int CountStored() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder, "*" + Extension).Count(p => !TemporaryFiles.IsTemporary(p))
        : 0;

    static ImageRecord? ReadFile(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var record = JsonSerializer.Deserialize<ImageRecord>(File.ReadAllBytes(path), Json);
            return record is { Image: not null, EncodedPixels: not null, Files: not null } ? record : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null; // an unreadable record means "redo this image", never a failed run
        }
    }
}
