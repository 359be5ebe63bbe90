using System.IO.Compression;
using Nuclei.Core.Measurements;
using Nuclei.Core.Output;
using Nuclei.Server.Engine;
using Nuclei.Server.Sessions;

namespace Nuclei.Server.Downloads;

/// <summary>
/// Zips of one image's files, or of the whole session (each image in its own folder, plus session-wide CSVs and the
/// run.json of what the page did, <see cref="PageRunRecord"/>).
/// </summary>
internal static class ZipFiles
{
    public static DownloadFile OfImage(ImageEntry entry) =>
        new(entry.Name + ".zip", "application/zip", Zip(ImageFiles.All(entry).Select(f => (f.Name, f.Bytes))));

    public static DownloadFile OfSession(IReadOnlyList<ImageEntry> entries, ISegmentationEngine engine, ServerOptions options, DateTimeOffset now)
    {
        var files = entries.SelectMany(e => ImageFiles.All(e).Select(f => (e.Name + "/" + f.Name, f.Bytes))).ToList();
        files.Add((MeasurementsCsv.FileName, ImageFiles.Utf8(MeasurementsCsv.Format(entries.Select(e => (e.Name, e.Result.Nuclei)), null))));
        files.Add(("submission.csv", ImageFiles.Utf8(ImageFiles.RleRows(entries))));
        files.Add((RunRecordFile.FileName, ImageFiles.Utf8(RunRecordFile.Serialize(PageRunRecord.Of(entries, engine, options, now)))));
        return new DownloadFile("nuclei-session.zip", "application/zip", Zip(files));
    }

    internal static byte[] Zip(IEnumerable<(string Name, byte[] Bytes)> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in files)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        return buffer.ToArray();
    }
}
