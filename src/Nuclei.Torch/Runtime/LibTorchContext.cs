using System.Runtime.InteropServices;
using TorchSharp;

namespace Nuclei.Torch.Runtime;

/// <summary>
/// Switches of libtorch's global context (at::Context) that TorchSharp does not bind, called through the Linux build's
/// C++ symbols; where they cannot be reached (another platform) nothing changes and <see cref="Available"/> is false.
/// </summary>
internal static unsafe class LibTorchContext
{
    const string Library = "libtorch_cpu.so";
    const string GlobalContext = "_ZN2at13globalContextEv";                   // at::globalContext()
    const string SetMkldnn = "_ZN2at7Context20setUserEnabledMkldnnEb";        // at::Context::setUserEnabledMkldnn(bool)
    const string GetMkldnn = "_ZNK2at7Context17userEnabledMkldnnEv";          // at::Context::userEnabledMkldnn() const

    static readonly Lazy<(IntPtr Library, IntPtr Context)?> Loaded = new(Load);

    /// <summary>Whether the context can be reached here.</summary>
    public static bool Available => Loaded.Value is not null && Export(SetMkldnn) != IntPtr.Zero && Export(GetMkldnn) != IntPtr.Zero;

    /// <summary>torch.backends.mkldnn.enabled: whether libtorch may run convolutions and others through oneDNN.</summary>
    public static bool MkldnnEnabled
    {
        get => Loaded.Value is var (_, ctx) && Export(GetMkldnn) is var get && get != IntPtr.Zero
            ? ((delegate* unmanaged<IntPtr, byte>)get)(ctx) != 0 : true;
        set
        {
            if (Loaded.Value is var (_, ctx) && Export(SetMkldnn) is var set && set != IntPtr.Zero)
                ((delegate* unmanaged<IntPtr, byte, void>)set)(ctx, value ? (byte)1 : (byte)0);
        }
    }

    /// <summary>The address of one of libtorch's symbols, or zero.</summary>
    public static IntPtr Export(string symbol) =>
        Loaded.Value is var (lib, _) && NativeLibrary.TryGetExport(lib, symbol, out var address) ? address : IntPtr.Zero;

    /// <summary>The global context, as <see cref="Export"/> calls need it (null where it cannot be reached).</summary>
    public static IntPtr? Context => Loaded.Value?.Context;

    /// <summary>The libtorch that TorchSharp loaded (loaded first, so that the same copy is found) and its global context.</summary>
    static (IntPtr Library, IntPtr Context)? Load()
    {
        if (!OperatingSystem.IsLinux()) return null;
        torch.InitializeDeviceType(DeviceType.CPU);
        if (!NativeLibrary.TryLoad(Library, out var lib) || !NativeLibrary.TryGetExport(lib, GlobalContext, out var context)) return null;
        return (lib, ((delegate* unmanaged<IntPtr>)context)());
    }
}
