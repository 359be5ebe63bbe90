using System.CommandLine;
using Nuclei.Cli.Commands;
using Nuclei.Cli.Commands.Data;
using Nuclei.Tests.Core;

namespace Nuclei.Tests.Cli;

/// <summary>--help says the same things the same way in every command, and only what the command has.</summary>
public sealed class HelpTextTests
{
    static readonly Command[] Commands =
    [
        SegmentCommand.Create(), EvaluateCommand.Create(), PartitionCommand.Create(), MergeCommand.Create(), TrainCommand.Create(),
        ModelsCommand.Create(), TuneCommand.Create(), AdaptCommand.Create(), DataCommand.Create(), ServeCommand.Create(),
    ];

    static IEnumerable<Command> All(Command c) => new[] { c }.Concat(c.Subcommands.SelectMany(All));

    static IEnumerable<(string Command, Option Option)> Options => Commands.SelectMany(All).SelectMany(c => c.Options.Select(o => (c.Name, o)));

    [Fact]
    public void Every_option_description_starts_lowercase_unless_it_starts_with_an_acronym_or_a_symbol()
    {
        var capitalised = Options.Where(x => x.Option.Description is { Length: > 1 } d && char.IsUpper(d[0]) && !char.IsUpper(d[1]) && d[1] != ' ' && d[1] != '/')
            .Select(x => $"{x.Command} {x.Option.Name}: {x.Option.Description}").ToList();
        Assert.Empty(capitalised);
    }

    [Fact]
    public void Every_command_description_starts_with_a_capital()
    {
        Assert.Empty(Commands.SelectMany(All).Where(c => c.Description is { Length: > 0 } d && !char.IsUpper(d[0])).Select(c => c.Name));
    }

    [Fact]
    public void Every_seed_defaults_to_the_same_value_and_says_so()
    {
        var seeds = Options.Where(x => x.Option.Name == "--seed").ToList();
        Assert.Equal(4, seeds.Count);   // adapt, data split, mosaic, synthesize
        foreach (var (command, option) in seeds)
        {
            Assert.Contains($"(default {SeedOption.Default}, as for every --seed)", option.Description);
            Assert.Equal(SeedOption.Default, ((Option<int>)option).DefaultValueFactory!(null!));
        }
    }

    [Fact]
    public void Serve_help_names_no_option_serve_does_not_have()
    {
        var help = SamplesAndEvaluateTests.RunCli("serve", "--help");
        Assert.Equal(0, help.Exit);
        Assert.DoesNotContain("--json", help.Out);
        Assert.Contains("--exclude-on-edges", help.Out);
        Assert.Contains("show help and usage information", help.Out);
    }
}
