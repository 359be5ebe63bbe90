using System.CommandLine;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Terminal;
using Nuclei.Core;

namespace Nuclei.Cli;

/// <summary>
/// Runs the `nuclei` command tree with the global options (--quiet, --verbose) and the exit codes every command shares:
/// 0 everything done, 1 some items failed (the command returns it), 2 a usage error or bad input that stopped the command.
/// </summary>
internal static class CommandLine
{
    public const int Done = 0, SomeFailed = 1, Stopped = 2;

    static readonly Option<bool> QuietOption = new("--quiet", "-q") { Description = "print errors only (a command's JSON summary, where it offers one, is still written)", Recursive = true };
    static readonly Option<bool> VerboseOption = new("--verbose", "-v") { Description = "also print details: each item as it is done, and the full trace of an unexpected error", Recursive = true };

    /// <summary>The arguments the program was started with (after the program's name), for the record of a run.</summary>
    public static IReadOnlyList<string> Arguments { get; private set; } = Environment.GetCommandLineArgs().Skip(1).ToList();

    /// <summary>--help and --version come with System.CommandLine, capitalised; every other option's description starts lowercase.</summary>
    static void LowercaseBuiltInDescriptions(RootCommand root)
    {
        foreach (var o in root.Options.Where(o => o.Description is { Length: > 0 } d && char.IsUpper(d[0]) && !char.IsUpper(d.Length > 1 ? d[1] : 'a')))
            o.Description = char.ToLowerInvariant(o.Description![0]) + o.Description[1..];
    }

    public static int Run(RootCommand root, string[] args)
    {
        Arguments = args;
        root.Options.Add(QuietOption);
        root.Options.Add(VerboseOption);
        LowercaseBuiltInDescriptions(root);
        var parse = root.Parse(args);
        bool quiet = parse.GetValue(QuietOption), verbose = parse.GetValue(VerboseOption);
        Messages.Level = quiet ? Verbosity.Quiet : verbose ? Verbosity.Verbose : Verbosity.Normal;
        StandardOutput.Configure(Messages.Level);
        if (parse.Errors.Count > 0)
        {
            parse.Invoke();                         // prints the errors and the command's usage
            return Stopped;
        }
        if (UnknownOptions.Find(parse) is { } unknown)
        {
            Messages.Error(unknown);
            return Stopped;
        }
        if (quiet && verbose)
        {
            Messages.Error("--quiet and --verbose exclude each other");
            return Stopped;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is NucleiInputException or IOException or UnauthorizedAccessException)
        {
            // A problem with what the user gave us: say which file and what is wrong, without a stack trace.
            Messages.Error(BatchRunner.Describe(e));
            return Stopped;
        }
        catch (Exception e) when (MissingNativeLibrary.Describe(e) is { } missing)
        {
            Messages.Error(missing);
            Messages.Detail(e.ToString());
            return Stopped;
        }
        catch (Exception e)
        {
            Messages.Error($"unexpected {BatchRunner.Describe(e)}" + (Messages.Verbose ? "" : " (--verbose shows where)"));
            Messages.Detail(e.ToString());
            return Stopped;
        }
    }
}
