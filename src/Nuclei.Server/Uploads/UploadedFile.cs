using System.Security.Cryptography;

namespace Nuclei.Server.Uploads;

/// <summary>
/// What identifies an upload once its bytes are let go (the session keeps the decoded image, not the file): its name,
/// size and SHA-256, taken when it arrived, for the page's run.json.
/// </summary>
/// <param name="Name">the file name the client gave (cleaned), never a path</param>
/// <param name="Sha256">of the bytes as uploaded, lowercase hex</param>
internal sealed record UploadedFile(string Name, long Bytes, string Sha256, DateTimeOffset Received)
{
    public static UploadedFile Of(byte[] data, string name, DateTimeOffset received) =>
        new(name, data.LongLength, Convert.ToHexStringLower(SHA256.HashData(data)), received);
}
