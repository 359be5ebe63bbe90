using System.Runtime.CompilerServices;

namespace Nuclei.Core.PostProcessing;

/// <summary>
/// The priority queue of the watershed flood: a binary min-heap of structs ordered by (value, age), so pixels at
/// equal height come out in the order they went in (skimage's heap_watershed.pxi). Grows by doubling; no per-item allocation.
/// </summary>
internal sealed class FloodQueue
{
    internal struct Item
    {
        public double Value;
        public int Age;
        public int Index;
        public int Source;
    }

    Item[] _items;
    int _count;

    public FloodQueue(int capacity) => _items = new Item[Math.Max(16, capacity)];

    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool Smaller(in Item a, in Item b) => a.Value < b.Value || (a.Value == b.Value && a.Age < b.Age);

    public void Push(double value, int age, int index, int source)
    {
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        var item = new Item { Value = value, Age = age, Index = index, Source = source };
        var items = _items;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Smaller(item, items[parent])) break;
            items[i] = items[parent];
            i = parent;
        }
        items[i] = item;
    }

    public Item Pop()
    {
        var items = _items;
        var top = items[0];
        var last = items[--_count];
        int n = _count, i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && Smaller(items[child + 1], items[child])) child++;
            if (!Smaller(items[child], last)) break;
            items[i] = items[child];
            i = child;
        }
        if (n > 0) items[i] = last;
        return top;
    }
}
