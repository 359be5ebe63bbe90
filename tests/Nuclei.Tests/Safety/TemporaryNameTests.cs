using System.Diagnostics;
using System.Text;
using Nuclei.Core.IO;
using Nuclei.Torch.Training;

namespace Nuclei.Tests.Safety;

/// <summary>Temporaries fit the file system's name limit whenever their target does, and every writer's next run removes those killed runs left.</summary>
public sealed class TemporaryNameTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("nuclei-tmpnames-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(200, "a")] [InlineData(244, "a")] [InlineData(255, "a")]
    [InlineData(127, "é")]   // 254 bytes of two-byte characters
    [InlineData(63, "😀")]   // 252 bytes of four-byte characters (surrogate pairs)
    public void A_legal_name_of_any_length_gets_a_temporary_within_255_bytes_that_is_ours_and_writes(int repeat, string unit)
    {
        string name = string.Concat(Enumerable.Repeat(unit, repeat));
        name = name[..^Math.Min(name.Length, 4)] + ".png"; // a legal name with an extension, at most 255 bytes
        Assert.True(Encoding.UTF8.GetByteCount(name) <= 255);
        string target = Path.Combine(dir, name);

        foreach (bool keep in new[] { false, true })
        {
            string tmp = TemporaryFiles.NameFor(target, keepExtension: keep);
            string tmpName = Path.GetFileName(tmp);
            Assert.InRange(Encoding.UTF8.GetByteCount(tmpName), 1, 255);
            Assert.True(TemporaryFiles.IsTemporary(tmp), tmpName);
            Assert.Equal(dir, Path.GetDirectoryName(tmp));
            Assert.Equal(keep, tmpName.EndsWith(".png", StringComparison.Ordinal));
            Assert.StartsWith("." + name[..8], tmpName);
        }
        AtomicFile.WriteAllText(target, "ok");        // through StagedFiles
        AtomicFile.Write(target, t => File.WriteAllText(t, "ok2")); // keeps the extension
        Assert.Equal("ok2", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(dir));
    }

    [Fact]
    public void Train_removes_the_temporaries_of_dead_runs_on_start_and_keeps_a_live_runs()
    {
        int dead = DeadProcessId();
        string guid = Guid.NewGuid().ToString("N");
        string stale = Path.Combine(dir, $".ckpt-3.nck.{dead}.{guid}.nuclei-tmp.nck");
        string live = Path.Combine(dir, $".ckpt-3.nck.{Environment.ProcessId}.{guid}.nuclei-tmp.nck");
        string user = Path.Combine(dir, "notes.txt");
        foreach (string f in new[] { stale, live, user }) File.WriteAllText(f, "x");
        var said = new List<string>();

        new RunFolder(dir).Prepare(ResumeMode.Auto, said.Add);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(user));
        Assert.Contains(said, s => s.StartsWith("removed 1 temporary file(s) that a killed run left in", StringComparison.Ordinal));
    }

    /// <summary>The id of a process that has exited (and, just now, not been reused).</summary>
    static int DeadProcessId()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }
}
