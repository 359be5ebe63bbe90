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
    public void DescribesUnexpectedErrorsWithTheirType()
    {
        Assert.Equal("InvalidOperationException: boom", BatchRunner.Describe(new InvalidOperationException("boom")));
        Assert.Equal("x.tif: empty file", BatchRunner.Describe(new AggregateException(new NucleiInputException("x.tif", "empty file"))));
    }
}
