using System.Diagnostics;

namespace Nuclei.Torch.Training;

/// <summary>
/// Prepares items 0..Count-1 on background threads while the consumer (the training step) works, and hands
/// them out strictly in index order. At most <c>capacity</c> items are prepared ahead (bounded memory).
/// Each item must depend only on its index (its own seeded Random), so the result is the same whatever the
/// number of workers or thread timing: training stays deterministic given a seed.
/// </summary>
internal sealed class OrderedBatchQueue<T> : IDisposable
{
    readonly Func<int, T> _produce;
    readonly int _capacity;
    readonly Thread[] _workers;
    readonly Dictionary<int, T> _ready = new();
    readonly object _gate = new();
    int _nextToClaim, _nextToTake;
    Exception? _failure;
    int _failedIndex = -1;
    bool _stopped;

    public int Count { get; }

    /// <summary>Seconds the consumer spent blocked waiting for an item (the "io" share of step time).</summary>
    public double WaitSeconds { get; private set; }

    public OrderedBatchQueue(int count, Func<int, T> produce, int workers, int capacity)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), "need at least one worker");
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be at least 1");
        Count = count; _produce = produce; _capacity = capacity;
        _workers = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"batch-worker-{i}" };
            _workers[i].Start();
        }
    }

    /// <summary>The next item in index order; blocks until it is ready. Rethrows a worker's failure.</summary>
    public T Take()
    {
        var sw = Stopwatch.StartNew();
        lock (_gate)
        {
            int index = _nextToTake;
            if (index >= Count) throw new InvalidOperationException("all items were taken");
            while (!_ready.ContainsKey(index))
            {
                if (_failure != null && _failedIndex <= index)
                    throw new InvalidOperationException($"preparing batch {_failedIndex} failed: {_failure.Message}", _failure);
                Monitor.Wait(_gate);
            }
            var item = _ready[index];
            _ready.Remove(index);
            _nextToTake++;
            Monitor.PulseAll(_gate);
            WaitSeconds += sw.Elapsed.TotalSeconds;
            return item;
        }
    }

    void Work()
    {
        while (true)
        {
            int index;
            lock (_gate)
            {
                while (!_stopped && _nextToClaim < Count && _nextToClaim - _nextToTake >= _capacity) Monitor.Wait(_gate);
                if (_stopped || _nextToClaim >= Count) return;
                index = _nextToClaim++;
            }
            try
            {
                var item = _produce(index);
                lock (_gate) { _ready[index] = item; Monitor.PulseAll(_gate); }
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    if (_failure == null || index < _failedIndex) { _failure = e; _failedIndex = index; }
                    Monitor.PulseAll(_gate);
                }
                return;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate) { _stopped = true; Monitor.PulseAll(_gate); }
        foreach (var t in _workers) t.Join();
    }
}
