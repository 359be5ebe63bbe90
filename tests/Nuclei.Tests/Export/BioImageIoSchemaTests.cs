using Nuclei.Torch.Export;
using Xunit.Abstractions;

namespace Nuclei.Tests.Export;

/// <summary>
/// The bundled model's package: its rdf.yaml, read as YAML 1.2 and handed over as JSON, validates against the official
/// bioimage.io JSON schema of the model description format it declares (0.5.4).
/// </summary>
public sealed class BioImageIoSchemaTests(BioImageIoSchemaTests.BundledPackage package, ITestOutputHelper output)
    : IClassFixture<BioImageIoSchemaTests.BundledPackage>
{
    [SkippableFact]
    public void Bundled_model_rdf_validates_against_the_bioimageio_json_schema()
    {
        var description = YamlToJson.Convert(package.Rdf())!;
        Assert.Equal("0.5.4", (string?)description["format_version"]);
        var errors = BioImageIoSchema.Errors(description);
        foreach (string e in errors) output.WriteLine(e);
        Assert.True(errors.Count == 0, $"rdf.yaml is not valid by {Path.GetFileName(BioImageIoSchema.FilePath)}:\n{string.Join("\n", errors)}");
    }

    /// <summary>
    /// The validation is not vacuous: without its inputs, with an unknown tensor data type, or with an input description
    /// over the spec's 128 characters (which the writer once wrote), the description is refused.
    /// </summary>
    [SkippableFact]
    public void Schema_refuses_a_broken_description()
    {
        string rdf = package.Rdf();
        var noInputs = YamlToJson.Convert(rdf)!.AsObject();
        noInputs.Remove("inputs");
        Assert.NotEmpty(BioImageIoSchema.Errors(noInputs));
        Assert.NotEmpty(BioImageIoSchema.Errors(YamlToJson.Convert(rdf.Replace("type: \"float32\"", "type: \"float33\""))!));
        var longDescription = YamlToJson.Convert(rdf)!;
        longDescription["inputs"]![0]!["description"] = new string('x', 129);
        Assert.Contains(BioImageIoSchema.Errors(longDescription), e => e.StartsWith("/inputs/0/description"));
    }

    /// <summary>The bundled model exported once for both tests (an export runs the network on the test crop).</summary>
    public sealed class BundledPackage : IDisposable
    {
        readonly string dir = Directory.CreateTempSubdirectory("nuclei-bioimageio-schema-").FullName;
        string? rdf;

        /// <summary>rdf.yaml of the package; skips the calling test when the bundled model is absent.</summary>
        public string Rdf()
        {
            if (rdf != null) return rdf;
            string package = Path.Combine(dir, "package");
            BioImageIoPackage.Export(BioImageIoPackageTests.BundledModel(), package, BioImageIoPackageTests.BundledSample(), "MIT");
            return rdf = File.ReadAllText(Path.Combine(package, "rdf.yaml"));
        }

        public void Dispose() => Directory.Delete(dir, recursive: true);
    }
}
