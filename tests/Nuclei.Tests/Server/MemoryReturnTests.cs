using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nuclei.Server.Sessions;

namespace Nuclei.Tests.Server;

// alone ("native-heap" does not run beside other tests): a parallel prediction holding the finalizer thread
// (FinalizerGate) makes the collection skip its wait for finalizers, and a parallel collection could do its work for it
[Collection("native-heap")]
public class MemoryReturnTests
{
    [Fact]
    public void An_array_pinned_until_its_owner_is_finalized_is_collected_by_one_return()
    {
        // as torch.from_array: the array stays pinned until its tensor is freed, here by the tensor's finalizer
        var array = AbandonPinned(4 << 20);
        MemoryReturn.Collect();
        // one collection finds only the owner dead; its finalizer unpins the array after it, and nothing collects again
        Assert.False(array.IsAlive, "the array unpinned by a finalizer is still in the managed heap after the memory return");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]   // so that no reference to the array or its owner outlives this call
    static WeakReference AbandonPinned(int length)
    {
        var data = new float[length];
        _ = new PinnedUntilFinalized(data);
        return new WeakReference(data);
    }

    sealed class PinnedUntilFinalized
    {
        GCHandle handle;
        public PinnedUntilFinalized(float[] data) => handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        ~PinnedUntilFinalized() => handle.Free();
    }
}
