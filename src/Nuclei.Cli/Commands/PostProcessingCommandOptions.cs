using System.CommandLine;
using Nuclei.Core.PostProcessing;

namespace Nuclei.Cli.Commands;

/// <summary>
/// The post-processing options of `segment`, `partition` and `serve`: one per setting of <see cref="PartitionOptions.Keys"/>
/// that users give (named as its <c>Setting</c>, described by its help), so a new key is a flag without a line here;
/// each command says where an unset option's value comes from.
/// </summary>
internal sealed class PostProcessingCommandOptions
{
    readonly List<(PostProcessingKey Key, Option<string?> Option)> options;

    /// <summary>Not an INI key: a choice of what to count, for the run (partition's --remove-border is its other name).</summary>
    public Option<bool> ExcludeOnEdges { get; } = new("--exclude-on-edges", "--remove-border")
    {
        Description = "drop the nuclei touching the image border (cut by the field of view) from the labels, measurements and exports; -v says how many per image",
    };

    /// <param name="defaultOf">the end of an option's description, by INI key name: where its value comes from when unset</param>
    public PostProcessingCommandOptions(Func<string, string> defaultOf)
    {
        options = PartitionOptions.Keys.Where(k => k.Setting is not null)
            .Select(k => (k, new Option<string?>("--" + k.Setting!.Name) { Description = $"{k.Help}; {defaultOf(k.Key)}" }))
            .ToList();
    }

    /// <summary>The splitting options (policy, markers), then the thresholds and minimum size, in --help order.</summary>
    public Option[] Splitting => Group(PostProcessingGroup.Splitting);
    public Option[] Thresholds => Group(PostProcessingGroup.Thresholds);

    Option[] Group(PostProcessingGroup group) => options.Where(o => o.Key.Group == group).Select(o => (Option)o.Option).ToArray();

    /// <summary>
    /// The values given to the options a command has (null where unset); a value an option cannot take is an input error
    /// naming the option.
    /// </summary>
    public PostProcessingSettings Read(ParseResult parse)
    {
        var settings = new PostProcessingSettings();
        foreach (var (key, option) in options)
            if (parse.CommandResult.Command.Options.Contains(option))
                settings = settings.WithText(key, parse.GetValue(option));
        return settings;
    }
}
