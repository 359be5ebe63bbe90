using System.Security.Cryptography;
using Nuclei.Core.Augmentation;
using Nuclei.Torch.Checkpoints;
using Nuclei.Torch.Inference;
using Nuclei.Torch.Models;

namespace Nuclei.Torch.Export;

/// <summary>What the package says of its checkpoint, read once: names, normalisation, thresholds, training scale and recorded evaluation.</summary>
internal sealed class BioImageIoFacts
{
    public string CheckpointName { get; }
    public string CheckpointSha256 { get; }
    public string Architecture { get; }
    public IReadOnlyList<string> Heads { get; }
    public int InChannels { get; }
    public Normalization Normalization { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }
    public CheckpointInfo Info { get; }
    public string License { get; }
    public DateTime Written { get; } = DateTime.UtcNow;

    public BioImageIoFacts(LoadedCheckpoint loaded, CheckpointSettings settings, string license)
    {
        CheckpointName = Path.GetFileName(loaded.Path);
        using (var file = File.OpenRead(loaded.Path)) CheckpointSha256 = Convert.ToHexStringLower(SHA256.HashData(file));
        var net = loaded.Net;
        Architecture = ModelRegistry.EncoderSuffixOf(net.ModelName) is null && net.Options.Encoder != "plain"
            ? $"{net.ModelName} with encoder {net.Options.Encoder}" : net.ModelName;
        Heads = net.Heads.Select(h => h.ToString().ToLowerInvariant()).ToArray();
        InChannels = net.Options.InChannels;
        Normalization = CheckpointModels.NormalizationOf(settings);
        Metadata = OnnxMetadata.Of(loaded, settings);
        Info = loaded.Info;
        License = license;
    }

    /// <summary>Channel names: RGB for three channels (grey images replicated, as nuclei does), else c0, c1, ...</summary>
    public IReadOnlyList<string> ChannelNames => InChannels == 3 ? ["red", "green", "blue"] : Enumerable.Range(0, InChannels).Select(c => $"c{c}").ToArray();

    /// <summary>What each head's probability means (the heads' targets in training).</summary>
    public static string HeadDescription(string head) => head switch
    {
        "semantic" => "probability that the pixel belongs to a nucleus",
        "contour" => "probability that the pixel lies on the boundary where nuclei touch",
        "marker" => "probability that the pixel lies in a nucleus core, one core per nucleus",
        _ => $"probability of the {head} head",
    };
}
