using Nuclei.Cli.Batch;
using Nuclei.Core;

namespace Nuclei.Tests.Cli;

public class PipelinedBatchTests
{
    /// <summary>Items 0..9 as strings; item 4 runs alone, and reading 2, segmenting 5 and writing 7 fail.</summary>
    sealed class Recorder
    {
        public readonly List<int> Written = new(), Alone = new();
        int live, maxLive;
        public int MaxLive => maxLive;

        public string? Read(int i)
        {
            Track(+1);
            if (i == 2) { Track(-1); throw new NucleiInputException($"img{i}.png", "not a PNG file"); }
            return i == 4 ? null : $"image {i}";
        }

        public string Segment(int i, string image)
        {
            if (i == 5) { Track(-1); throw new InvalidOperationException("network failed"); }
            return image + " segmented";
        }

        public void Write(int i, string segmented, TimeSpan took)
        {
            try
            {
                if (i == 7) throw new IOException($"img{i}.labels.png: disk full");
                lock (Written) Written.Add(i);
            }
            finally { Track(-1); }
        }

        public void RunAlone(int i)
        {
            lock (Alone) Alone.Add(i);
            Track(-1);
        }

        /// <summary>Items between the start of their read and the end of their last stage.</summary>
        void Track(int change)
        {
            int now = Interlocked.Add(ref live, change);
            int seen;
            while (now > (seen = Volatile.Read(ref maxLive)) && Interlocked.CompareExchange(ref maxLive, now, seen) != seen) { }
        }

        public PipelinedBatch<int, string, string> Pipeline(bool overlap) => new(Read, Segment, Write, RunAlone, overlap);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_item_is_reported_once_in_input_order_and_a_failure_belongs_to_its_item(bool overlap)
    {
        var r = new Recorder();
        var items = Enumerable.Range(0, 10).ToList();
        var reports = new List<ItemDone>();
        r.Pipeline(overlap).Run(items, reports.Add);

        Assert.Equal(items, reports.Select(d => d.Index));
        Assert.Equal(new[] { 2, 5, 7 }, reports.Where(d => d.Error is not null).Select(d => d.Index));
        Assert.IsType<IOException>(reports[7].Error);
        Assert.Equal(new[] { 0, 1, 3, 6, 8, 9 }, r.Written);
        Assert.Equal(new[] { 4 }, r.Alone);
        Assert.True(r.MaxLive <= (overlap ? 3 : 1), $"{r.MaxLive} items held at once");
    }

    [Fact]
    public void Through_the_batch_runner_failures_are_listed_in_input_order_with_their_messages()
    {
        var r = new Recorder();
        var items = Enumerable.Range(0, 10).ToList();
        var failures = BatchRunner.Drive(items, i => $"img{i}.png", done => r.Pipeline(overlap: true).Run(items, done));

        Assert.Equal(new[] { "img2.png", "img5.png", "img7.png" }, failures.Select(f => f.Item));
        Assert.Equal(new[] { "img2.png: not a PNG file", "InvalidOperationException: network failed", "img7.labels.png: disk full" },
            failures.Select(f => f.Message));
    }

    [Fact]
    public void The_next_item_is_read_and_the_previous_one_written_while_an_item_is_segmented()
    {
        var readOfOne = new ManualResetEventSlim();
        var writeOfOne = new ManualResetEventSlim();
        var seen = new List<string>();
        var pipeline = new PipelinedBatch<int, string, int>(
            read: i => { if (i == 1) readOfOne.Set(); return "image"; },
            segment: (i, _) =>
            {
                // Each wait ends as soon as the other stage runs; its timeout only keeps a broken pipeline from hanging.
                if (i == 0) lock (seen) seen.Add(readOfOne.Wait(TimeSpan.FromSeconds(30)) ? "1 read while 0 segmented" : "1 not read ahead");
                if (i == 2) lock (seen) seen.Add(writeOfOne.Wait(TimeSpan.FromSeconds(30)) ? "1 written while 2 segmented" : "1 not written");
                return i;
            },
            write: (i, _, _) => { if (i == 1) writeOfOne.Set(); },
            runAlone: _ => { });
        pipeline.Run([0, 1, 2], _ => { });

        Assert.Equal(new[] { "1 read while 0 segmented", "1 written while 2 segmented" }, seen);
    }

    [Fact]
    public void An_item_that_runs_alone_starts_after_the_pending_write_and_before_the_next_read()
    {
        var events = new List<string>();
        void Log(string e) { lock (events) events.Add(e); }
        var pipeline = new PipelinedBatch<int, string, int>(
            read: i => { Log($"read {i}"); return i == 1 ? null : "image"; },
            segment: (i, _) => i,
            write: (i, _, _) => { Thread.Sleep(50); Log($"wrote {i}"); },
            runAlone: i => Log($"alone {i}"));
        pipeline.Run([0, 1, 2], _ => { });

        Assert.True(events.IndexOf("wrote 0") < events.IndexOf("alone 1"), string.Join(", ", events));
        Assert.True(events.IndexOf("alone 1") < events.IndexOf("read 2"), string.Join(", ", events));
    }
}
