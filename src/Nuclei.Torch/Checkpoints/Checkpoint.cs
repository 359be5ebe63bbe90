using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Nuclei.Core;
using Nuclei.Core.IO;
using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;

namespace Nuclei.Torch.Checkpoints;

/// <summary>
/// The checkpoint file (".nck"): everything needed to rebuild and resume a model from its path alone.
/// Layout (little-endian): magic "NUCLEICK", int32 format version, then four length-prefixed (int64) sections:
/// UTF-8 JSON metadata, weights (TorchSharp's <c>Module.save</c> format: the state dict), optimizer state,
/// random state; in version 2, the 32-byte SHA-256 of every byte before it (so an edit anywhere, metadata
/// included, is caught); then the end marker "NCKEND!!". Version 1 (no file digest; the metadata may hold a
/// SHA-256 of the weights alone) is still read; version 2 is written. Only a regular file is opened, every length
/// is checked against the file size, the digest and the model options before any byte reaches libtorch, so a
/// truncated, edited or hostile file is a clear error, never a hang, a native crash or a runaway allocation.
/// </summary>
internal static class Checkpoint
{
    /// <summary>The version this build writes.</summary>
    public const int FormatVersion = 2;

    /// <summary>The first version with a digest of the whole file.</summary>
    private const int DigestVersion = 2;
    public const string Extension = ".nck";

    private static readonly byte[] Magic = "NUCLEICK"u8.ToArray();
    private static readonly byte[] EndMarker = "NCKEND!!"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// Writes <paramref name="net"/>'s weights and <paramref name="info"/> to <paramref name="path"/> atomically. First
    /// removes the temporaries that killed runs left beside it (a checkpoint's is tens of MB), whichever command saves
    /// into that folder next (train, tune, adapt); those of live processes are kept.
    /// </summary>
    public static void Save(string path, SegmentationNet net, CheckpointInfo info)
    {
        TemporaryFiles.RemoveStale(Path.GetDirectoryName(Path.GetFullPath(path))!);
        byte[] weights = WeightsOf(net);
        byte[] metaBytes = JsonSerializer.SerializeToUtf8Bytes(MetadataOf(net, info, weights), Json);
        AtomicFile.Write(path, tmp => WriteFile(tmp, [metaBytes, weights, info.OptimizerState ?? [], info.RandomState ?? []]));
    }

    /// <summary>The state dict, in TorchSharp's <c>Module.save</c> format.</summary>
    private static byte[] WeightsOf(SegmentationNet net)
    {
        using var ms = new MemoryStream();
        net.save(ms);
        return ms.ToArray();
    }

    private static CheckpointMetadata MetadataOf(SegmentationNet net, CheckpointInfo info, byte[] weights) => new()
    {
        ModelName = net.ModelName,
        Heads = net.Heads.Select(h => h.ToString()).ToArray(),
        Options = net.Options,
        Configuration = ToDictionary(info.Configuration),
        Epoch = info.Epoch,
        Step = info.Step,
        // A score that could not be measured (every validation image failed: NaN) is recorded as absent; JSON has no NaN.
        ValidationScore = FiniteOrNull(info.ValidationScore),
        ValidationByKind = info.ValidationByKind?.Where(k => double.IsFinite(k.Value)).ToDictionary(),
        MedianDiameter = FiniteOrNull(info.MedianDiameter),
        Evaluation = info.Evaluation,
        Adaptations = info.Adaptations?.ToList(),
        Blend = info.Blend,
        SavedUtc = info.SavedUtc == default ? DateTime.UtcNow : info.SavedUtc,
        ParameterCount = net.ParameterCount(),
        WeightsSha256 = Convert.ToHexString(SHA256.HashData(weights)),
    };

    private static double? FiniteOrNull(double? value) => value is double v && double.IsFinite(v) ? v : null;

    /// <summary>The current format version's layout (see the class): header, length-prefixed sections, digest of all that, end marker.</summary>
    private static void WriteFile(string tmp, byte[][] sections)
    {
        using var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Write(ReadOnlySpan<byte> data)
        {
            file.Write(data);
            digest.AppendData(data);
        }
        Write(Magic);
        Write(Int32Bytes(FormatVersion));
        foreach (var section in sections)
        {
            Write(Int64Bytes(section.LongLength));
            Write(section);
        }
        file.Write(digest.GetHashAndReset());
        file.Write(EndMarker);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Reads a checkpoint and rebuilds its network from the stored name and options (returned in eval mode).</summary>
    /// <exception cref="NucleiInputException">The file is missing, truncated, of another format version or names an unknown model.</exception>
    public static LoadedCheckpoint Load(string path)
    {
        var raw = ReadValidated(path);
        using var gate = FinalizerGate.Enter();   // see FinalizerGate: no finalizer may free a Scalar mid-call
        SegmentationNet net;
        try
        {
            net = ModelRegistry.Create(raw.Meta.ModelName!, raw.Meta.Options!, path);
        }
        catch (NucleiInputException) { throw; }
        catch (Exception e)
        {
            throw new NucleiInputException(path, $"cannot build model '{UntrustedText.Clean(raw.Meta.ModelName)}' from its stored options: {UntrustedText.Clean(e.Message, 300)}", e);
        }
        try
        {
            using var ms = new MemoryStream(raw.Weights, writable: false);
            net.load(ms, strict: true);
        }
        catch (Exception e)
        {
            net.Dispose();
            throw new NucleiInputException(path, $"the weights do not fit model '{UntrustedText.Clean(raw.Meta.ModelName)}' ({UntrustedText.Clean(e.Message, 300)})", e);
        }
        net.eval();
        return new LoadedCheckpoint(Path.GetFullPath(path), raw.Version, net.ModelName, net.Options, raw.Info, net);
    }

    /// <summary>Reads only the metadata (no network is built); for describing a checkpoint.</summary>
    public static CheckpointSummary ReadInfo(string path)
    {
        var raw = ReadValidated(path);
        return new CheckpointSummary(raw.Version, raw.Meta.ModelName!, raw.Meta.Options!, raw.Meta.Heads ?? [], raw.Meta.ParameterCount, raw.Info);
    }

    private sealed record RawCheckpoint(int Version, CheckpointMetadata Meta, byte[] Weights, CheckpointInfo Info);

    private static RawCheckpoint ReadValidated(string path)
    {
        byte[] bytes = ReadFile(path);
        int pos = 0;
        int version = ReadHeader(path, bytes, ref pos);
        byte[] metaBytes = ReadSection(path, bytes, ref pos, "metadata");
        byte[] weights = ReadSection(path, bytes, ref pos, "weights");
        byte[] optimizer = ReadSection(path, bytes, ref pos, "optimizer state");
        byte[] random = ReadSection(path, bytes, ref pos, "random state");
        if (version >= DigestVersion) CheckDigest(path, bytes, ref pos);
        if (bytes.Length - pos != EndMarker.Length || !bytes.AsSpan(pos).SequenceEqual(EndMarker))
            throw new NucleiInputException(path, "checkpoint is truncated or has trailing data (end marker missing)");

        var meta = ParseMetadata(path, metaBytes);
        CheckMetadata(path, meta, weights);
        return new RawCheckpoint(version, meta, weights, InfoOf(meta, optimizer, random));
    }

    private static byte[] ReadFile(string path)
    {
        RegularFile.Require(path, "checkpoint");
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NucleiInputException(path, $"cannot read checkpoint: {e.Message}", e);
        }
    }

    /// <summary>Checks the magic and reads the format version (one this build reads); leaves <paramref name="pos"/> after them.</summary>
    private static int ReadHeader(string path, byte[] bytes, ref int pos)
    {
        if (bytes.Length < Magic.Length + 4 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new NucleiInputException(path, "not a Nuclei checkpoint (no NUCLEICK header)");
        pos += Magic.Length;
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos, 4));
        pos += 4;
        if (version is < 1 or > FormatVersion)
            throw new NucleiInputException(path, $"checkpoint format version {version} is not supported (this build reads versions 1 to {FormatVersion})");
        return version;
    }

    /// <summary>The metadata JSON, with the model name and options it must have.</summary>
    private static CheckpointMetadata ParseMetadata(string path, byte[] metaBytes)
    {
        CheckpointMetadata? meta;
        try
        {
            meta = JsonSerializer.Deserialize<CheckpointMetadata>(metaBytes, Json);
        }
        catch (JsonException e)
        {
            throw new NucleiInputException(path, $"checkpoint metadata is not valid JSON: {UntrustedText.Clean(e.Message, 200)}", e);
        }
        if (meta?.ModelName is null || meta.Options is null)
            throw new NucleiInputException(path, "checkpoint metadata lacks the model name or options");
        return meta;
    }

    /// <summary>A known model, options within bounds, and weights that match the SHA-256 the metadata holds (when it holds one).</summary>
    private static void CheckMetadata(string path, CheckpointMetadata meta, byte[] weights)
    {
        if (!ModelRegistry.IsKnown(meta.ModelName!))
            throw new NucleiInputException(path, $"checkpoint is of unknown model '{UntrustedText.Clean(meta.ModelName)}' (known: {string.Join(", ", ModelRegistry.Names)})");
        meta.Options!.Validate(path); // bounds the network's size before anything is allocated
        if (meta.WeightsSha256 is not null && !string.Equals(meta.WeightsSha256, Convert.ToHexString(SHA256.HashData(weights)), StringComparison.OrdinalIgnoreCase))
            throw new NucleiInputException(path, "checkpoint weights are corrupted (SHA-256 mismatch)");
    }

    /// <summary>The metadata as the caller's <see cref="CheckpointInfo"/>; empty optimizer and random sections are absent.</summary>
    private static CheckpointInfo InfoOf(CheckpointMetadata meta, byte[] optimizer, byte[] random) => new()
    {
        Configuration = (meta.Configuration ?? new()).Select(kv => kv).ToArray(),
        Epoch = meta.Epoch,
        Step = meta.Step,
        ValidationScore = meta.ValidationScore,
        ValidationByKind = meta.ValidationByKind,
        MedianDiameter = meta.MedianDiameter,
        Evaluation = meta.Evaluation,
        Adaptations = meta.Adaptations,
        Blend = meta.Blend,
        SavedUtc = meta.SavedUtc,
        OptimizerState = optimizer.Length > 0 ? optimizer : null,
        RandomState = random.Length > 0 ? random : null,
    };

    private static void CheckDigest(string path, byte[] bytes, ref int pos)
    {
        const int size = SHA256.HashSizeInBytes;
        if (bytes.Length - pos < size) throw new NucleiInputException(path, "checkpoint is truncated (its SHA-256 digest is missing)");
        if (!SHA256.HashData(bytes.AsSpan(0, pos)).AsSpan().SequenceEqual(bytes.AsSpan(pos, size)))
            throw new NucleiInputException(path, "checkpoint is corrupted or was edited (SHA-256 of the file does not match its digest)");
        pos += size;
    }

    /// <summary>Later duplicates win, as in the configuration files.</summary>
    private static Dictionary<string, string> ToDictionary(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var d = new Dictionary<string, string>();
        foreach (var (k, v) in pairs) d[k] = v;
        return d;
    }

    private static byte[] Int32Bytes(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return b;
    }

    private static byte[] Int64Bytes(long value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        return b;
    }

    private static byte[] ReadSection(string path, byte[] bytes, ref int pos, string what)
    {
        if (bytes.Length - pos < 8) throw new NucleiInputException(path, $"checkpoint is truncated (before the {what} section)");
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(pos, 8));
        pos += 8;
        if (length < 0 || length > bytes.Length - pos)
            throw new NucleiInputException(path, $"checkpoint is truncated (the {what} section needs {length} bytes, {bytes.Length - pos} remain)");
        byte[] data = bytes.AsSpan(pos, (int)length).ToArray();
        pos += (int)length;
        return data;
    }
}
