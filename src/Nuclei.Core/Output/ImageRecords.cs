using System.Text.Json;
using Nuclei.Core.IO;

namespace Nuclei.Core.Output;

/// <summary>
/// The per-image records of an output folder, one JSON file each in <c>DIR/.nuclei-records/&lt;id&gt;.json</c> (in sub-folders for an id that is a relative path).
/// A record is written (atomically) only after every output of its image is in place, so the records are the
/// journal from which <c>summary.csv</c>, <c>measurements.csv</c>, the submission CSV and <c>report.html</c> are rebuilt: they survive a killed run, and runs
/// that share the folder, one after another or at once, see each other's images.
/// </summary>
internal sealed class ImageRecords
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

    /// <summary>The record of <paramref name="id"/>, or null when it is missing, unreadable or refused (then the image counts as not done).</summary>
    public ImageRecord? Read(string id) => OutputNames.ProblemOf(id) is null ? ReadChecked(PathOf(id), refused: null) : null;

    /// <summary>
    /// Why <paramref name="record"/> is not one the writer could have written, or null: its id and every file it lists
    /// must follow the rule of <see cref="OutputNames"/> (so neither leaves the output folder), and no listed file may lie
    /// among the records. A reader takes only records that pass, whoever wrote the folder (a merged shard may come from anywhere).
    /// </summary>
    public static string? ProblemOf(ImageRecord record)
    {
        if (OutputNames.ProblemOf(record.Image) is { } id) return $"its image id '{UntrustedText.Clean(record.Image, 300)}' {id}";
        foreach (var file in record.Files)
        {
            if (OutputNames.ProblemOf(file.Name) is { } name) return $"it lists the file '{UntrustedText.Clean(file.Name, 300)}', which {name}";
            if (file.Name.Split('/')[0] == FolderName) return $"it lists the file '{UntrustedText.Clean(file.Name, 300)}', among the records";
            if (file.Bytes < 0) return $"it gives the file '{UntrustedText.Clean(file.Name, 300)}' a negative size";
        }
        return null;
    }

    /// <summary>True when the record is final and every file it lists is there with the recorded size.</summary>
    public bool IsComplete(ImageRecord record) => record.Complete && FilesPresent(record);

    bool FilesPresent(ImageRecord record) => record.Files.All(f =>
    {
        var info = new FileInfo(Path.Combine(OutputDir, f.Name));
        return info.Exists && info.Length == f.Bytes;
    });

    /// <summary>
    /// Every record whose output files are all present, sorted by image id (ordinal). A record that breaks the rule of
    /// <see cref="ProblemOf"/>, or lies in a file other than the one its id names (it would not read back where it was
    /// found), is left out and added to <paramref name="refused"/>: an input error naming its file and the problem.
    /// </summary>
    public IReadOnlyList<ImageRecord> ReadAll(ICollection<NucleiInputException>? refused = null)
    {
        if (!Directory.Exists(Folder)) return Array.Empty<ImageRecord>();
        return Directory.EnumerateFiles(Folder, "*" + Extension, SearchOption.AllDirectories) // ids may be relative paths
            .Where(p => !TemporaryFiles.IsTemporary(p))
            .Order(StringComparer.Ordinal) // refusals in a stable order
            .Select(p => ReadChecked(p, refused))
            .OfType<ImageRecord>()
            .Where(IsComplete)
            .OrderBy(r => r.Image, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>How many records the folder holds, complete or not (those <see cref="ReadAll"/> leaves out are of unfinished images).</summary>
    public int CountStored() => Directory.Exists(Folder)
        ? Directory.EnumerateFiles(Folder, "*" + Extension, SearchOption.AllDirectories).Count(p => !TemporaryFiles.IsTemporary(p))
        : 0;

    /// <summary>The record in <paramref name="path"/> when it passes <see cref="ProblemOf"/> and its id names that very file.</summary>
    ImageRecord? ReadChecked(string path, ICollection<NucleiInputException>? refused)
    {
        if (!File.Exists(path)) return null;
        // a FIFO named like a record would block its read for ever
        if (RegularFile.ProblemOf(path, "image record") is { } unreadable) return Refuse(path, unreadable, refused);
        if (ReadFile(path) is not { } record) return null;
        if (ProblemOf(record) is { } problem) return Refuse(path, "image record refused: " + problem, refused);
        string home = PathOf(record.Image);
        return string.Equals(Path.GetFullPath(home), Path.GetFullPath(path), StringComparison.Ordinal)
            ? record
            : Refuse(path, $"image record refused: it holds the record of image '{UntrustedText.Clean(record.Image, 300)}', whose record is {home}", refused);
    }

    static ImageRecord? Refuse(string path, string problem, ICollection<NucleiInputException>? refused)
    {
        refused?.Add(new NucleiInputException(path, problem));
        return null;
    }

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
