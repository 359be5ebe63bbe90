namespace Nuclei.Core.PostProcessing;

/// <summary>
/// The watershed's queue for the plain case (no compactness, no lines), where every pixel enters at most once:
/// one FIFO list per distinct height, and a small binary heap over the heights present. Popping the lowest height
/// first and, within a height, the earliest entry first is exactly skimage's (value, age) order, since ages grow
/// with every push. Landscapes have few distinct heights (distance maps: square roots of integers; 8-bit maps: 256),
/// so the heap stays tiny and most operations are O(1) list appends and removals on a per-pixel "next" array.
/// (A hierarchical queue in the sense of Meyer's flooding algorithm, with the levels found on the fly.)
/// </summary>
internal sealed class LevelQueue
{
    readonly int[] _next;                       // per pixel: the next pixel in its level's FIFO list (-1 = end)
    readonly Dictionary<float, int> _levelOf = new();
    float[] _value = new float[64];
    int[] _head = new int[64], _tail = new int[64];
    int _levels;                                // level slots allocated
    readonly Stack<int> _freeLevels = new();
    int[] _heap = new int[64];                  // level slots ordered by value
    int _heapCount;
    int _lastLevel = -1;                        // cache: consecutive pushes often share a height
    float _lastValue;

    public LevelQueue(int[] nextBuffer) => _next = nextBuffer;

    public int Count { get; private set; }

    public void Push(float value, int index)
    {
        if (value == 0) value = 0f; // one level for +0 and -0
        int level;
        if (_lastLevel >= 0 && value == _lastValue) level = _lastLevel;
        else
        {
            if (!_levelOf.TryGetValue(value, out level)) level = NewLevel(value);
            _lastLevel = level; _lastValue = value;
        }
        _next[index] = -1;
        if (_tail[level] < 0) _head[level] = index; else _next[_tail[level]] = index;
        _tail[level] = index;
        Count++;
    }

    public int Pop()
    {
        int level = _heap[0];
        int index = _head[level];
        int after = _next[index];
        _head[level] = after;
        if (after < 0) RemoveLowestLevel(level);
        Count--;
        return index;
    }

    int NewLevel(float value)
    {
        int level;
        if (_freeLevels.Count > 0) level = _freeLevels.Pop();
        else
        {
            level = _levels++;
            if (level == _value.Length)
            {
                Array.Resize(ref _value, level * 2); Array.Resize(ref _head, level * 2); Array.Resize(ref _tail, level * 2);
            }
        }
        _value[level] = value; _head[level] = -1; _tail[level] = -1;
        _levelOf[value] = level;
        if (_heapCount == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        int i = _heapCount++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!(value < _value[_heap[parent]])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = level;
        return level;
    }

    void RemoveLowestLevel(int level)
    {
        _levelOf.Remove(_value[level]);
        _freeLevels.Push(level);
        if (_lastLevel == level) _lastLevel = -1;
        int last = _heap[--_heapCount];
        int n = _heapCount, i = 0;
        float lastValue = _value[last];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && _value[_heap[child + 1]] < _value[_heap[child]]) child++;
            if (!(_value[_heap[child]] < lastValue)) break;
            _heap[i] = _heap[child];
            i = child;
        }
        if (n > 0) _heap[i] = last;
    }
}
