using System.Diagnostics;

namespace Nuclei.Bench.Hostile;

/// <summary>Paths that are not regular files: a FIFO, links that lead nowhere or to a device, a folder, a file without read permission.</summary>
internal static class SpecialFiles
{
    /// <summary>A named pipe: opening it for reading waits for a writer for ever (.NET has no mkfifo, so the tool makes it).</summary>
    public static void Fifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0) throw new IOException($"mkfifo {path} failed: {mkfifo.StandardError.ReadToEnd().Trim()}");
    }

    /// <summary>A symbolic link to <paramref name="target"/>, which need not exist (relative targets stay relative, so the corpus can move).</summary>
    public static void Link(string path, string target) => File.CreateSymbolicLink(path, target);

    /// <summary>A file holding <paramref name="bytes"/> that its mode lets nobody read (root reads it all the same).</summary>
    public static void Unreadable(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.None);
    }
}
