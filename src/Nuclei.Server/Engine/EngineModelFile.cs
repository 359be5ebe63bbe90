namespace Nuclei.Server.Engine;

/// <summary>A checkpoint file an engine segments with: where the server read it, and its SHA-256 (lowercase hex).</summary>
internal sealed record EngineModelFile(string Path, string Sha256);
