using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Nuclei.Tests.Docs;

/// <summary>
/// Every C# block of the README and of the package's PACKAGE.md compiles as a console program (with the SDK's implicit
/// usings) against the library, and runs: its "image.png" is a sample image, and the bundled model is the test
/// program's. So the documented code cannot drift from the API.
/// </summary>
public sealed partial class CodeSnippetTests
{
    /// <summary>The usings a `dotnet new console` project has without writing them (ImplicitUsings).</summary>
    const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (string doc in Documents)
            for (int i = 0; i < CSharpBlocks(doc).Count; i++) data.Add(doc, i);
        return data;
    }

    static readonly string[] Documents = ["README.md", "src/Nuclei/PACKAGE.md"];

    [Fact]
    public void The_documents_have_csharp_blocks() =>
        Assert.All(Documents, d => Assert.NotEmpty(CSharpBlocks(d)));

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_compiles_and_runs(string document, int index)
    {
        string sample = Directory.EnumerateDirectories(TestData.SamplesDir).Order(StringComparer.Ordinal).First();
        string image = Path.Combine(sample, "images", Path.GetFileName(sample) + ".png");
        string code = CSharpBlocks(document)[index].Replace("\"image.png\"", SymbolDisplay.FormatLiteral(image, quote: true));

        var assembly = Compile(code, $"{document} block {index + 1}");
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try { assembly.EntryPoint!.Invoke(null, assembly.EntryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()]); }
        finally { Console.SetOut(console); }
        Assert.Matches(NucleiCount(), output.ToString());
    }

    static Assembly Compile(string code, string name)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[] { CSharpSyntaxTree.ParseText(code, parse, path: name), CSharpSyntaxTree.ParseText(ImplicitUsings, parse) };
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.Length > 0).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Snippet" + Guid.NewGuid().ToString("N"), trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var problems = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, $"{name} does not compile:\n{string.Join("\n", problems)}");
        return Assembly.Load(stream.ToArray());
    }

    static List<string> CSharpBlocks(string document) =>
        CSharpBlock().Matches(File.ReadAllText(Path.Combine(TestData.RepoRoot, document))).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"[1-9][0-9]* nuclei")]
    private static partial Regex NucleiCount();
}
