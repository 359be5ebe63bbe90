namespace Nuclei.Cli.Terminal;

/// <summary>
/// Everything a command tells the user besides its results goes to stderr through here, so that --quiet keeps only
/// errors and --verbose adds details, in every command alike (stdout is left for results and --json).
/// </summary>
internal static class Messages
{
    public static Verbosity Level { get; set; } = Verbosity.Normal;

    public static bool Quiet => Level == Verbosity.Quiet;

    public static bool Verbose => Level == Verbosity.Verbose;

    /// <summary>Progress and what was done (silent with --quiet).</summary>
    public static void Info(string message)
    {
        if (!Quiet) Console.Error.WriteLine(message);
    }

    /// <summary>Details only --verbose shows.</summary>
    public static void Detail(string message)
    {
        if (Verbose) Console.Error.WriteLine(message);
    }

    /// <summary>Something the user should know that did not stop the work (silent with --quiet).</summary>
    public static void Warning(string message) => Info("warning: " + message);

    /// <summary>Always printed, --quiet or not.</summary>
    public static void Error(string message) => Console.Error.WriteLine("error: " + message);
}
