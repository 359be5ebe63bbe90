using System.CommandLine;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The post-processing options of `segment` and `partition`, named as their INI keys ([param] threshold*, [post] policy,
/// markers, min_object_size) and declared once; each command says where an unset option's value comes from.
/// </summary>
internal sealed class PostProcessingCommandOptions
{
    public Option<string?> Policy { get; }
    public Option<string?> Markers { get; }
    public Option<float?> Threshold { get; }
    public Option<float?> ThresholdEdge { get; }
    public Option<float?> ThresholdMark { get; }
    public Option<int?> MinObjectSize { get; }

    /// <summary>Not an INI key: a choice of what to count, for the run (partition's --remove-border is its other name).</summary>
    public Option<bool> ExcludeOnEdges { get; } = new("--exclude-on-edges", "--remove-border")
    {
        Description = "drop the nuclei touching the image border (cut by the field of view) from the labels, measurements and exports; -v says how many per image",
    };

    /// <param name="defaultOf">the end of an option's description, by INI key: where its value comes from when unset</param>
    public PostProcessingCommandOptions(Func<string, string> defaultOf)
    {
        Policy = new("--policy") { Description = "[post] policy: the ALGORITHM that splits touching nuclei: ws (marker-controlled watershed) or rw (random walker); " + defaultOf("policy") };
        Markers = new("--markers") { Description = "[post] markers: the MARKERS (starting points) that algorithm grows nuclei from: auto (the marker map if there is one, else body minus contour, else peaks), marker (marker map), contour (body minus contour), or peaks (distance-transform peaks of the body); " + defaultOf("markers") };
        Threshold = new("--threshold") { Description = "[param] threshold: body pixels have a probability above this; " + defaultOf("threshold") };
        ThresholdEdge = new("--threshold-edge") { Description = "[param] threshold_edge: contour pixels have a probability above this; " + defaultOf("threshold_edge") };
        ThresholdMark = new("--threshold-mark") { Description = "[param] threshold_mark: marker pixels have a probability above this; " + defaultOf("threshold_mark") };
        MinObjectSize = new("--min-object-size") { Description = "[post] min_object_size: drop nuclei smaller than this many pixels; " + defaultOf("min_object_size") };
    }

    /// <summary>The splitting options (policy, markers), then the thresholds and minimum size, in --help order.</summary>
    public Option[] Splitting => [Policy, Markers];
    public Option[] Thresholds => [Threshold, ThresholdEdge, ThresholdMark, MinObjectSize];

    /// <summary>The values given (null where unset); a policy or marker name that does not exist is an input error naming the option.</summary>
    public PostProcessingSettings Read(ParseResult parse) => new()
    {
        Policy = PostProcessingSettings.ParsePolicy(parse.GetValue(Policy)),
        Markers = PostProcessingSettings.ParseMarkers(parse.GetValue(Markers)),
        Threshold = parse.GetValue(Threshold),
        ThresholdEdge = parse.GetValue(ThresholdEdge),
        ThresholdMark = parse.GetValue(ThresholdMark),
        MinObjectSize = parse.GetValue(MinObjectSize),
    };
}
