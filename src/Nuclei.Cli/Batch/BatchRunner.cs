using Nuclei.Core;
using Nuclei.Core.Report;
using Nuclei.Cli.Terminal;
using Spectre.Console;

namespace Nuclei.Cli.Batch;

/// <summary>
/// One item of a batch that failed, with the message to show the user; <paramref name="OfRun"/> for a failure of the
/// run's own files (summary.csv, the report), which is listed with the others but is no item of the batch.
/// </summary>
internal sealed record BatchFailure(string Item, string Message, bool OfRun = false);

/// <summary>
/// Runs one piece of work per input (an image, a set of maps) with a progress bar, keeps going when an item
/// fails, and lists the failures at the end. The exit code is 0 only when every item succeeded.
/// </summary>
internal static class BatchRunner
{
    /// <param name="items">the work items, in order</param>
    /// <param name="name">how to name an item in messages (usually its id or path)</param>
    /// <param name="work">processes one item; throws on failure</param>
    /// <param name="parallelism">items processed at once (1 for model inference, which is itself multi-threaded)</param>
    /// <returns>the failures, in input order</returns>
    public static IReadOnlyList<BatchFailure> Run<T>(IReadOnlyList<T> items, Func<T, string> name, Action<T> work,
        string description = "segmenting", int parallelism = 1) =>
        Drive(items, name, done => ForEach(items.Count, parallelism, i => done(ItemDone.Of(i, () => work(items[i])))), description);

    /// <summary>
    /// As <see cref="Run{T}"/>, for a batch that runs its items itself (e.g. <see cref="PipelinedBatch{TItem, TInput, TOutput}"/>):
    /// <paramref name="drive"/> processes every item and reports each once, when it is done or has failed.
    /// </summary>
    /// <returns>the failures, in input order</returns>
    public static IReadOnlyList<BatchFailure> Drive<T>(IReadOnlyList<T> items, Func<T, string> name, Action<Action<ItemDone>> drive,
        string description = "segmenting")
    {
        var failures = new List<(int Index, BatchFailure Failure)>();
        void Record(ItemDone done, Action advance)
        {
            string item = name(items[done.Index]);
            if (done.Error is null)
                Messages.Detail(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{item}: done in {done.Elapsed.TotalSeconds:F2} s"));
            else
            {
                lock (failures) failures.Add((done.Index, new BatchFailure(item, Describe(done.Error))));
                Messages.Detail($"{item}: failed: {done.Error}");
            }
            advance();
        }

        bool interactive = !Messages.Quiet && !Console.IsErrorRedirected && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (interactive && items.Count > 1)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                         new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"{description} {items.Count} item(s)", maxValue: items.Count);
                    drive(done => Record(done, () => task.Increment(1)));
                });
        }
        else
        {
            int count = 0;
            drive(done => Record(done, () =>
            {
                int n = Interlocked.Increment(ref count);
                if (items.Count > 1 && (n % 50 == 0 || n == items.Count))
                    Messages.Info($"{description}: {n}/{items.Count}");
            }));
        }

        return failures.OrderBy(f => f.Index).Select(f => f.Failure).ToList();
    }

    /// <summary>
    /// Rebuilds the summary, submission CSV and report of <paramref name="writer"/> (the report lists
    /// <paramref name="failures"/>); a failure to write them, and each image record of the folder that the writer
    /// refused to take (see <see cref="Nuclei.Core.Output.ImageRecords.ReadAll"/>), join the failures as the run's own
    /// (the images themselves are written), so the exit code says something went wrong.
    /// </summary>
    public static IReadOnlyList<BatchFailure> Finish(Nuclei.Core.Output.SegmentationOutputWriter writer, IReadOnlyList<BatchFailure> failures)
    {
        List<BatchFailure> all;
        try
        {
            writer.Finish(ForReport(failures));
            all = failures.ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            all = failures.Append(new BatchFailure(writer.SummaryPath, Describe(e), OfRun: true)).ToList();
        }
        all.AddRange(writer.RefusedRecords.Select(e => new BatchFailure(e.InputPath!, e.Message, OfRun: true)));
        return all;
    }

    /// <summary>
    /// Prints the failure list (if any) to stderr, even with --quiet, and returns the process exit code. Only the
    /// failures of items count against <paramref name="total"/>; those of the run's own files are counted apart.
    /// </summary>
    public static int Report(IReadOnlyList<BatchFailure> failures, int total)
    {
        if (failures.Count == 0) return CommandLine.Done;
        Console.Error.WriteLine();
        Console.Error.WriteLine(Headline(failures, total));
        foreach (var f in failures)
            // Input errors already start with the path they are about.
            Console.Error.WriteLine(OneLine(f.Message.StartsWith(f.Item + ":", StringComparison.Ordinal) ? $"  {f.Message}" : $"  {f.Item}: {f.Message}"));
        return CommandLine.SomeFailed;
    }

    /// <summary>"2 of 5 item(s) failed:", with the run's own failures counted apart ("…; and 1 of the run's own file(s):").</summary>
    public static string Headline(IReadOnlyList<BatchFailure> failures, int total)
    {
        int items = failures.Count(f => !f.OfRun), ofRun = failures.Count - items;
        string run = $"{ofRun} problem(s) with the run's own files";
        if (ofRun == 0) return $"{items} of {total} item(s) failed:";
        return items == 0 ? run + ":" : $"{items} of {total} item(s) failed, and {run}:";
    }

    /// <summary>A message on one line: a control character (a line break in a file name) shows as '?'.</summary>
    static string OneLine(string text) => string.Create(text.Length, text, (span, t) =>
    {
        for (int i = 0; i < t.Length; i++) span[i] = char.IsControl(t[i]) ? '?' : t[i];
    });

    /// <summary>The failures as a report lists them.</summary>
    public static IReadOnlyList<ReportFailure> ForReport(IReadOnlyList<BatchFailure> failures) =>
        failures.Select(f => new ReportFailure(f.Item, f.Message)).ToList();

    /// <summary>Tells where the report went and what its own work cost (statistics, thumbnails, pictures, writing).</summary>
    public static void Announce(ReportBuilder? report)
    {
        if (report is not null)
            Messages.Info(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"report: {report.HtmlPath} ({report.Elapsed.TotalSeconds:F1} s of report work)"));
    }

    /// <summary>User-facing text for an exception: our own input errors as they are (settings named by their flags), others with their type.</summary>
    public static string Describe(Exception e) => e switch
    {
        _ when MissingNativeLibrary.Describe(e) is { } missing => missing,
        NucleiInputException input => input.MessageFor(SettingFlags.Names),
        IOException or UnauthorizedAccessException => e.Message,
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    static void ForEach(int count, int parallelism, Action<int> body)
    {
        if (parallelism <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, body);
    }
}
