using Nuclei.Server.Sessions;

namespace Nuclei.Tests.Server;

/// <summary>One prediction at a time; a request that goes away while it waits never runs.</summary>
public sealed class SegmentationQueueTests
{
    [Fact]
    public async Task Work_runs_one_at_a_time_and_a_cancelled_waiter_never_runs()
    {
        var queue = new SegmentationQueue();
        var release = new ManualResetEventSlim();
        var started = new SemaphoreSlim(0);
        int running = 0, maxRunning = 0, ran = 0;
        int Work()
        {
            int now = Interlocked.Increment(ref running);
            maxRunning = Math.Max(maxRunning, now);
            started.Release();
            release.Wait();
            Interlocked.Increment(ref ran);
            Interlocked.Decrement(ref running);
            return now;
        }

        var first = queue.RunAsync(Work, CancellationToken.None);
        await started.WaitAsync();
        using var gone = new CancellationTokenSource();
        var cancelled = queue.RunAsync(Work, gone.Token);
        var third = queue.RunAsync(Work, CancellationToken.None);
        Assert.Equal(3, queue.Pending);
        gone.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        release.Set();
        await Task.WhenAll(first, third);
        Assert.Equal(1, maxRunning);
        Assert.Equal(2, ran);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public async Task Running_work_is_told_when_it_starts_and_sees_its_cancellation()
    {
        var queue = new SegmentationQueue();
        using var cancel = new CancellationTokenSource();
        var running = new SemaphoreSlim(0);
        bool started = false;
        var work = queue.RunAsync(token =>
        {
            running.Release();
            token.WaitHandle.WaitOne(); // stands for the predictor, which checks its token between forward passes
            token.ThrowIfCancellationRequested();
            return 1;
        }, cancel.Token, () => started = true);
        await running.WaitAsync();
        Assert.True(started);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => work);
        Assert.Equal(0, queue.Pending);
        Assert.Equal(2, await queue.RunAsync(_ => 2, CancellationToken.None)); // the slot was given back
    }
}
