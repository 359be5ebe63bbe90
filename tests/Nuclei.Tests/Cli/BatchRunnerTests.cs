using Nuclei.Cli.Batch;
using Nuclei.Core;

namespace Nuclei.Tests.Cli;

public class BatchRunnerTests
{
    [Fact]
    public void GoesOnAfterFailuresAndListsThemInInputOrder()
    {
        var done = new List<int>();
        var items = Enumerable.Range(0, 6).ToList();
        var failures = BatchRunner.Run(items, i => $"img{i}", i =>
        {
            if (i % 3 == 1) throw new NucleiInputException($"img{i}.png", "not a PNG file");
            lock (done) done.Add(i);
        }, parallelism: 2);

        Assert.Equal(new[] { 0, 2, 3, 5 }, done.OrderBy(i => i));
        Assert.Equal(new[] { "img1", "img4" }, failures.Select(f => f.Item));
        Assert.Equal("img1.png: not a PNG file", failures[0].Message);
        Assert.Equal(1, BatchRunner.Report(failures, items.Count));
        Assert.Equal(0, BatchRunner.Report(Array.Empty<BatchFailure>(), items.Count));
    }

    [Fact]
    public void The_failures_of_the_runs_own_files_are_not_counted_among_its_items()
    {
        var two = new[] { new BatchFailure("a.png", "a.png: bad"), new BatchFailure("b.png", "b.png: bad") };
        var summary = new BatchFailure("out/summary.csv", "disk full", OfRun: true);

        Assert.Equal("2 of 2 item(s) failed:", BatchRunner.Headline(two, 2));
        Assert.Equal("2 of 2 item(s) failed, and 1 problem(s) with the run's own files:", BatchRunner.Headline([.. two, summary], 2));
        Assert.Equal("1 problem(s) with the run's own files:", BatchRunner.Headline([summary], 2));
    }

    [Fact]
    public void DescribesUnexpectedErrorsWithTheirType()
    {
        Assert.Equal("InvalidOperationException: boom", BatchRunner.Describe(new InvalidOperationException("boom")));
        Assert.Equal("x.tif: empty file", BatchRunner.Describe(new AggregateException(new NucleiInputException("x.tif", "empty file"))));
    }
}
