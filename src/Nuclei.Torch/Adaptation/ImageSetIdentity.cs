using System.Security.Cryptography;
using System.Text;
using Nuclei.Core.Data;

namespace Nuclei.Torch.Adaptation;

/// <summary>Names a set of images without listing them: their folder (or how many folders) and a digest of their ids.</summary>
internal static class ImageSetIdentity
{
    /// <summary>The one folder holding every image (full path), or "N folders".</summary>
    public static string Source(IReadOnlyList<InputImage> images)
    {
        var folders = images.Select(i => Path.GetDirectoryName(Path.GetFullPath(i.ImagePath)) ?? "").Distinct(StringComparer.Ordinal).ToList();
        return folders.Count == 1 ? folders[0] : $"{folders.Count} folders";
    }

    /// <summary>SHA-256 (first 16 hex digits) of the sorted ids, one per line: the same images give the same digest.</summary>
    public static string IdsSha256(IReadOnlyList<InputImage> images)
    {
        string ids = string.Join('\n', images.Select(i => i.Id).Order(StringComparer.Ordinal));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ids)))[..16].ToLowerInvariant();
    }
}
