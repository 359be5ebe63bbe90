using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nuclei.Core;
using Nuclei.Core.IO;

namespace Nuclei.Torch.Inference;

/// <summary>
/// An ensemble description (<c>*.nens</c>, written by <c>train --folds</c>): a small JSON file listing member
/// checkpoints by path relative to the file, each with an optional weight (default 1):
/// <code>{ "format": "nuclei-ensemble", "version": 1, "members": [ { "path": "fold-1/best.nck", "weight": 1 }, ... ] }</code>
/// </summary>
internal static class EnsembleDescription
{
    public const string Extension = ".nens";
    const string FormatName = "nuclei-ensemble";
    const int Version = 1;

    /// <summary>Whether <paramref name="path"/> names an ensemble description (by its extension) rather than a checkpoint.</summary>
    public static bool IsDescription(string path) => string.Equals(Path.GetExtension(path), Extension, StringComparison.OrdinalIgnoreCase);

    /// <summary>The members as written in the file: paths resolved against the file's folder (not checked here), weights.</summary>
    public static IReadOnlyList<ModelReference> Read(string path)
    {
        RegularFile.Require(path, "ensemble description");
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new NucleiInputException(path, $"ensemble description is not valid JSON: {UntrustedText.Clean(e.Message, 200)}"); }
        if (root is not JsonObject o || (string?)Field(path, o, "format") != FormatName)
            throw new NucleiInputException(path, $"not an ensemble description (expected a JSON object with \"format\": \"{FormatName}\")");
        if (Field(path, o, "version") is not JsonValue v || !v.TryGetValue(out int version) || version != Version)
            throw new NucleiInputException(path, $"ensemble description version must be {Version}");
        if (o["members"] is not JsonArray members || members.Count == 0)
            throw new NucleiInputException(path, "ensemble description lists no members");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return members.Select((m, i) => Member(path, folder, m, i + 1)).ToList();
    }

    static JsonNode? Field(string path, JsonObject o, string name)
    {
        try { return o[name]; }
        catch (InvalidOperationException) { throw new NucleiInputException(path, $"ensemble description has a malformed \"{name}\""); }
    }

    static ModelReference Member(string path, string folder, JsonNode? node, int number)
    {
        if (node is not JsonObject m || m["path"] is not JsonValue p || !p.TryGetValue(out string? relative) || string.IsNullOrWhiteSpace(relative))
            throw new NucleiInputException(path, $"member {number} has no \"path\"");
        double weight = 1;
        if (m["weight"] is JsonNode w && (w is not JsonValue wv || !wv.TryGetValue(out weight) || !(weight >= 0) || double.IsInfinity(weight)))
            throw new NucleiInputException(path, $"member {number} ({UntrustedText.Clean(relative)}): weight must be a non-negative number");
        return new ModelReference(Path.GetFullPath(Path.Combine(folder, relative)), (float)weight);
    }

    /// <summary>Writes a description at <paramref name="path"/> listing <paramref name="members"/> by path relative to it (atomically).</summary>
    public static void Write(string path, IReadOnlyList<ModelReference> members)
    {
        if (members.Count == 0) throw new ArgumentException("an ensemble needs at least one member", nameof(members));
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var list = new JsonArray(members.Select(m => (JsonNode)new JsonObject
        {
            ["path"] = Path.GetRelativePath(folder, m.Path).Replace(Path.DirectorySeparatorChar, '/'),
            ["weight"] = m.Weight,
        }).ToArray());
        var root = new JsonObject { ["format"] = FormatName, ["version"] = Version, ["members"] = list };
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
