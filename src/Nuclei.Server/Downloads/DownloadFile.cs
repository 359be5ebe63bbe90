namespace Nuclei.Server.Downloads;

/// <summary>A file the page can download: its name, media type and bytes.</summary>
internal sealed record DownloadFile(string Name, string ContentType, byte[] Bytes);
