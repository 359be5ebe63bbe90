using Spectre.Console;

namespace Nuclei.Cli.Terminal;

/// <summary>
/// Sets up stdout once per run: with --quiet the human-readable results are dropped; with --json they go to stderr
/// and stdout carries the one JSON document alone; tables and markup are plain text (no colours, no box drawing)
/// whenever the text does not go to a terminal.
/// </summary>
internal static class StandardOutput
{
    // Wide enough that piped tables keep 64-character DSB image ids on one line.
    const int PipedWidth = 200;

    static TextWriter? _json;

    /// <summary>The real stdout, kept for the --json document once human-readable text is sent elsewhere.</summary>
    static readonly TextWriter Original = Console.Out;

    /// <summary>True when human-readable text reaches a terminal (tables may then draw boxes and colours).</summary>
    public static bool IsTerminal { get; private set; } = !Console.IsOutputRedirected;

    /// <summary>Called once at start-up, before any command writes.</summary>
    public static void Configure(Verbosity level)
    {
        if (level == Verbosity.Quiet) Redirect(TextWriter.Null, terminal: false);
        else Redirect(Original, terminal: !Console.IsOutputRedirected);
    }

    /// <summary>
    /// --json: from now on stdout holds only the summary written by <see cref="WriteJson"/>; the text the command
    /// would print there goes to stderr (or nowhere with --quiet).
    /// </summary>
    public static void BeginJson()
    {
        _json = Original;
        if (!Messages.Quiet) Redirect(Console.Error, terminal: !Console.IsErrorRedirected);
    }

    /// <summary>Writes the --json document to the real stdout.</summary>
    public static void WriteJson<T>(T summary) => WriteJsonText(JsonSummary.Serialize(summary));

    /// <summary>Writes an already serialised --json document to the real stdout.</summary>
    public static void WriteJsonText(string json)
    {
        var writer = _json ?? throw new InvalidOperationException("WriteJson without BeginJson");
        writer.WriteLine(json);
        writer.Flush();
    }

    /// <summary>Writes a table: boxed on a terminal, plain aligned columns (no box characters) otherwise.</summary>
    public static void Write(Table table)
    {
        if (!IsTerminal)
        {
            table.Border(TableBorder.None);
            if (table.Title is { } title) AnsiConsole.MarkupLine(title.Text);   // one line, not wrapped to the table's width
            table.Title = null;
        }
        AnsiConsole.Write(table);
    }

    static void Redirect(TextWriter writer, bool terminal)
    {
        IsTerminal = terminal;
        if (!ReferenceEquals(Console.Out, writer)) Console.SetOut(writer);
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            AnsiConsole.Profile.Width = PipedWidth;
            AnsiConsole.Profile.Capabilities.Unicode = false;
        }
    }
}
