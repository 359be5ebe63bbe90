using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Nuclei.Tests.Export;

/// <summary>
/// The official bioimage.io JSON schema of the 0.5 family (Schema/bioimageio_schema_v0-5.json, copied to the test
/// output; its source in Schema/README.md). Validates a description against the whole schema, and explains a failure
/// by the model 0.5 branch alone: the whole schema's oneOf over every resource type would report each branch's errors.
/// </summary>
public static class BioImageIoSchema
{
    public const string ModelBranch = "bioimageio__spec__model__v0_5__ModelDescr";

    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "Export", "Schema", "bioimageio_schema_v0-5.json");

    /// <summary>Nothing when <paramref name="description"/> validates; else the model 0.5 branch's errors, one per line.</summary>
    public static IReadOnlyList<string> Errors(JsonNode description)
    {
        var instance = JsonSerializer.SerializeToElement(description);
        string text = File.ReadAllText(FilePath);
        if (Build(text, "whole").Evaluate(instance).IsValid) return [];
        var results = Build(ModelBranchOnly(text), "model-0.5").Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (results.Details ?? []).Prepend(results)
            .SelectMany(d => (d.Errors ?? new Dictionary<string, string>()).Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .ToList();
        return errors.Count > 0 ? errors : ["invalid by the whole schema, though the model 0.5 branch reports no error"];
    }

    /// <summary>
    /// Draft 2020-12, the dialect pydantic writes ($defs, prefixItems), which lets pass its OpenAPI "discriminator"
    /// keyword (the library's default dialect refuses unknown keywords); each schema under its own base URI, so that
    /// the global registry never takes two for one.
    /// </summary>
    static JsonSchema Build(string text, string name) =>
        JsonSchema.FromText(text, new BuildOptions { Dialect = Dialect.Draft202012 },
            new Uri($"https://nuclei.test/bioimageio/{name}/{Guid.NewGuid():N}"));

    /// <summary>The same $defs with the root pointing at the model 0.5 description.</summary>
    static string ModelBranchOnly(string text)
    {
        var schema = JsonNode.Parse(text)!.AsObject();
        var branch = new JsonObject { ["$defs"] = schema["$defs"]!.DeepClone(), ["$ref"] = $"#/$defs/{ModelBranch}" };
        return branch.ToJsonString();
    }
}
