using Nuclei;

// Segments one image with the model bundled in the Nuclei package and prints its nucleus count.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run -- IMAGE");
    return 2;
}
using var segmenter = NucleiSegmenter.Load(new SegmenterOptions());
SegmentationResult result = segmenter.Segment(args[0]);
double meanArea = result.Count == 0 ? 0 : result.Nuclei.Average(n => n.Area);
Console.WriteLine($"nuclei: {result.Count}");
Console.WriteLine($"mean area: {meanArea:F1} px");
return 0;
