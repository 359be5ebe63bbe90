using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Nuclei.Core;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;

namespace Nuclei.Tests.Models;

/// <summary>
/// The file digest of format version 2, reading version 1, and hostile checkpoints: edited metadata, special files,
/// oversized architectures and control characters in the strings a checkpoint carries.
/// </summary>
public sealed class CheckpointFormatTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("nuclei-ckptfmt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string SaveTiny(string fileName = "model.nck", params KeyValuePair<string, string>[] configuration)
    {
        string path = Path.Combine(dir, fileName);
        using var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2 });
        Checkpoint.Save(path, net, new CheckpointInfo { Configuration = configuration });
        return path;
    }

    [Fact]
    public void A_score_that_could_not_be_measured_is_saved_as_absent_not_refused()
    {
        // every validation image failing scores NaN; JSON cannot hold it, and the epoch's weights must still be saved
        string path = Path.Combine(dir, "nan.nck");
        using (var net = ModelRegistry.Create("camunet", new ModelOptions { BaseWidth = 4, Depth = 2 }))
            Checkpoint.Save(path, net, new CheckpointInfo
            {
                Epoch = 2, ValidationScore = double.NaN, MedianDiameter = double.PositiveInfinity,
                ValidationByKind = new Dictionary<string, double> { ["fluorescence"] = double.NaN, ["colour-bright"] = 0.25 },
            });
        var info = Checkpoint.ReadInfo(path).Info;
        Assert.Equal(2, info.Epoch);
        Assert.Null(info.ValidationScore);
        Assert.Null(info.MedianDiameter);
        Assert.Equal(new Dictionary<string, double> { ["colour-bright"] = 0.25 }, info.ValidationByKind);
    }

    /// <summary>Replaces <paramref name="from"/> by <paramref name="to"/> (same length) in the metadata, leaving every length valid.</summary>
    private static void EditInPlace(string path, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        string text = Encoding.Latin1.GetString(File.ReadAllBytes(path));
        Assert.Contains(from, text);
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(text.Replace(from, to)));
    }

    /// <summary>A checkpoint re-laid as format version 1 with <paramref name="metadata"/>: what builds before the file digest wrote.</summary>
    internal static byte[] AsVersion1(byte[] v2, Func<string, string>? metadata = null)
    {
        int pos = 12;
        var sections = new List<byte[]>();
        for (int i = 0; i < 4; i++)
        {
            long length = BinaryPrimitives.ReadInt64LittleEndian(v2.AsSpan(pos, 8));
            sections.Add(v2.AsSpan(pos + 8, (int)length).ToArray());
            pos += 8 + (int)length;
        }
        if (metadata is not null) sections[0] = Encoding.UTF8.GetBytes(metadata(Encoding.UTF8.GetString(sections[0])));
        using var ms = new MemoryStream();
        ms.Write(v2.AsSpan(0, 8));
        ms.Write(BitConverter.GetBytes(1));
        foreach (var s in sections)
        {
            ms.Write(BitConverter.GetBytes(s.LongLength));
            ms.Write(s);
        }
        ms.Write("NCKEND!!"u8);
        return ms.ToArray();
    }

    [Fact]
    public void New_checkpoints_are_version_2_and_an_edit_of_the_metadata_is_caught()
    {
        string path = SaveTiny(configuration: new KeyValuePair<string, string>("param.threshold", "0.5"));
        Assert.Equal(2, BitConverter.ToInt32(File.ReadAllBytes(path), 8));
        using (var loaded = Checkpoint.Load(path).Net) Assert.Equal(2, Checkpoint.ReadInfo(path).FormatVersion);

        EditInPlace(path, "\"0.5\"", "\"0.9\"");
        var e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load(path));
        Assert.Contains("SHA-256 of the file does not match", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_version_2_checkpoint_without_its_digest_is_refused()
    {
        string path = SaveTiny();
        byte[] bytes = File.ReadAllBytes(path);
        byte[] noDigest = [.. bytes[..^40], .. bytes[^8..]]; // drop the 32 digest bytes before the end marker
        File.WriteAllBytes(path, noDigest);
        Assert.Contains("truncated", Assert.Throws<NucleiInputException>(() => Checkpoint.Load(path)).Message);
    }

    [Fact]
    public void Version_1_checkpoints_still_load_with_or_without_their_weights_digest()
    {
        string path = SaveTiny(configuration: new KeyValuePair<string, string>("param.threshold", "0.4"));
        byte[] v2 = File.ReadAllBytes(path);
        string v1 = Path.Combine(dir, "v1.nck");
        File.WriteAllBytes(v1, AsVersion1(v2));
        var loaded = Checkpoint.Load(v1);
        using (loaded.Net) Assert.Equal(1, loaded.FormatVersion);
        Assert.Equal(0.4f, CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(v1)).ThresholdBody);

        // Version 1 had only the weights' digest: corrupt weights are still caught by it when present.
        byte[] corrupt = AsVersion1(v2);
        corrupt[corrupt.Length / 2] ^= 0xFF;
        File.WriteAllBytes(v1, corrupt);
        Assert.Contains("SHA-256", Assert.Throws<NucleiInputException>(() => Checkpoint.Load(v1)).Message);
    }

    [SkippableFact]
    public void The_bundled_model_loads_in_the_current_format_with_its_settings()
    {
        string? model = DefaultModel.Locate(TestData.RepoRoot);
        Skip.If(model is null, "models/default.nck not present");
        var info = Checkpoint.ReadInfo(model!);
        Assert.Equal(Checkpoint.FormatVersion, info.FormatVersion);   // version 1 files are covered by the synthetic tests above
        using var m = CheckpointModels.Load(model!);
        CheckpointModels.PartitionOptionsOf(CheckpointModels.SettingsOf(model!));
    }

    [SkippableFact]
    public void Folders_and_devices_are_refused_with_one_line()
    {
        var e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load(dir));
        Assert.Contains("is a folder", e.Message);
        Assert.Throws<NucleiInputException>(() => CheckpointModels.Load(dir));
        Skip.IfNot(File.Exists("/dev/zero"));
        e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load("/dev/zero"));
        Assert.Equal("/dev/zero: checkpoint is a character device, not a regular file", e.Message);
    }

    [SkippableFact]
    public void A_fifo_is_refused_without_blocking()
    {
        string fifo = Path.Combine(dir, "pipe.nck");
        Skip.IfNot(MakeFifo(fifo), "mkfifo is not available here");
        var load = Task.Run(() => Checkpoint.Load(fifo));
        // A reader that opened the FIFO would wait for a writer forever; give it a (generous) chance to return.
        if (!((IAsyncResult)load).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
        {
            using (File.OpenWrite(fifo)) { } // release the blocked reader before failing
            Assert.Fail("loading a FIFO blocked");
        }
        var e = Assert.IsType<NucleiInputException>(load.Exception!.InnerException);
        Assert.Contains("is a FIFO (named pipe), not a regular file", e.Message);
    }

    private static bool MakeFifo(string path)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("mkfifo", path) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    [Theory]
    [InlineData(512, 2, "model base width must be 1..64, got 512")]
    [InlineData(16, 7, "model base width 16 with depth 7 gives 2048 channels at the deepest level (at most 1024)")]
    public void Architecture_options_are_bounded_before_the_network_is_built(int baseWidth, int depth, string expected)
    {
        string path = SaveTiny();
        string v1 = Path.Combine(dir, "big.nck");
        // Version 1 (no file digest) so that the edit reaches the options check; lengths change, so the file is re-laid.
        File.WriteAllBytes(v1, AsVersion1(File.ReadAllBytes(path),
            m => m.Replace("\"BaseWidth\": 4", $"\"BaseWidth\": {baseWidth}").Replace("\"Depth\": 2", $"\"Depth\": {depth}")));
        var e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load(v1));
        Assert.Equal($"{v1}: {expected}", e.Message);
    }

    [Fact]
    public void Strings_from_a_checkpoint_are_cleaned_and_cut_in_messages()
    {
        string path = SaveTiny();
        string v1 = Path.Combine(dir, "hostile.nck");
        string hostileName = "\u001b[31mred" + new string('x', 100_000);
        File.WriteAllBytes(v1, AsVersion1(File.ReadAllBytes(path), m => m.Replace("\"ModelName\": \"camunet\"", "\"ModelName\": \"" + hostileName.Replace("\u001b", "\\u001b") + "\"")));
        var e = Assert.Throws<NucleiInputException>(() => Checkpoint.Load(v1));
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Message.Length < 500, $"message of {e.Message.Length} characters");
        Assert.Contains("unknown model '?[31mredxxx", e.Message);
    }
}
