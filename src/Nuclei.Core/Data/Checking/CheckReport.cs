using System.Text.Json;

namespace Nuclei.Core.Data.Checking;

/// <summary>Problems of a whole dataset, counted by kind, as text lines or JSON.</summary>
internal sealed class CheckReport
{
    public string Root { get; }
    public int Images { get; }
    public int Masks { get; }
    public int MinSize { get; }
    /// <summary>Images with an alpha channel that is fully opaque: harmless (alpha is ignored), only noted.</summary>
    public int OpaqueAlpha { get; }
    public IReadOnlyList<LabelProblem> Problems { get; }

    public CheckReport(string root, IReadOnlyList<SampleCheck> checks, int minSize)
    {
        Root = root;
        Images = checks.Count;
        Masks = checks.Sum(c => c.Masks);
        MinSize = minSize;
        OpaqueAlpha = checks.Count(c => c.OpaqueAlpha);
        Problems = checks.SelectMany(c => c.Problems).ToList();
    }

    /// <summary>Per kind (every kind, in enum order): how many problems and how many images have one.</summary>
    public IReadOnlyList<(ProblemKind Kind, int Problems, int Images)> Counts() =>
        Enum.GetValues<ProblemKind>().Select(k =>
        {
            var of = Problems.Where(p => p.Kind == k).ToList();
            return (k, of.Count, of.Select(p => p.Image).Distinct().Count());
        }).ToList();

    public string ToJson() => JsonSerializer.Serialize(new
    {
        root = Root,
        images = Images,
        masks = Masks,
        min_size = MinSize,
        opaque_alpha_images = OpaqueAlpha,
        counts = Counts().ToDictionary(c => c.Kind.Name(), c => new { problems = c.Problems, images = c.Images }),
        problems = Problems.Select(p => new { kind = p.Kind.Name(), image = p.Image, file = p.File, detail = p.Detail }),
    }, new JsonSerializerOptions { WriteIndented = true });
}
