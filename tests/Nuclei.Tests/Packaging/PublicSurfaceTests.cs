using System.Reflection;
using Nuclei.Core.Imaging;
using Nuclei.Server;
using Nuclei.Torch.Inference;

namespace Nuclei.Tests.Packaging;

/// <summary>
/// The assemblies of the Nuclei.Api package export exactly the types their PublicAPI.Shipped.txt and
/// PublicAPI.Unshipped.txt declare (the analyzer checks the members at build time; this checks the built assemblies, so a
/// type made public in a way the analyzer does not see, or a declaration file no project reads, still fails).
/// The other assemblies export nothing a package user could see.
/// </summary>
public sealed class PublicSurfaceTests
{
    public static TheoryData<string> Projects() => ["src/Nuclei", "src/Nuclei.Core", "src/Nuclei.Torch"];

    static Assembly AssemblyOf(string project) => project switch
    {
        "src/Nuclei" => typeof(NucleiSegmenter).Assembly,
        "src/Nuclei.Core" => typeof(FloatImage).Assembly,
        "src/Nuclei.Torch" => typeof(ModelSegmenter).Assembly,
        _ => throw new ArgumentException(project),
    };

    /// <summary>The type lines of the declaration files: those that declare no member (no " -> ").</summary>
    static SortedSet<string> DeclaredTypes(string project) =>
        new(new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
                .SelectMany(f => File.ReadLines(Path.Combine(TestData.RepoRoot, project, f)))
                .Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.Contains(" -> "))
                .Select(l => l.Split(' ')[^1])                     // "static X", "abstract X", "sealed X": the name
                .Select(l => l.Contains('<') ? l[..l.IndexOf('<')] : l), StringComparer.Ordinal);

    static string NameOf(Type t)
    {
        string name = t.FullName!.Replace('+', '.');
        int tick = name.IndexOf('`');
        return tick < 0 ? name : name[..tick];
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void The_exported_types_are_the_declared_ones(string project)
    {
        var exported = new SortedSet<string>(AssemblyOf(project).GetExportedTypes().Select(NameOf), StringComparer.Ordinal);
        Assert.NotEmpty(exported);
        Assert.Equal(DeclaredTypes(project), exported);
    }

    [Fact]
    public void The_server_exports_no_type() =>
        Assert.Empty(typeof(ServerOptions).Assembly.GetExportedTypes());
}
