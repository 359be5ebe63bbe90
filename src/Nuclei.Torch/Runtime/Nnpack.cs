using System.Runtime.InteropServices;
using TorchSharp;

namespace Nuclei.Torch.Runtime;

/// <summary>
/// Turns libtorch's NNPACK convolutions off, once, before the first network is built. Why: on a CPU NNPACK does not
/// support, libtorch 2.x tries to initialise it at every eligible convolution and logs "Could not initialize NNPACK!
/// Reason: Unsupported hardware." each time (a dozen lines per small image); with it off the check is never made and
/// convolutions take libtorch's other CPU paths, as they already do wherever NNPACK cannot start. This is PyTorch's
/// torch.backends.nnpack.set_flags(False); TorchSharp does not bind it, so at::Context is called directly, which needs
/// the Linux build's C++ symbols (elsewhere nothing is changed).
/// </summary>
internal static class Nnpack
{
    const string Library = "libtorch_cpu.so";
    const string GlobalContext = "_ZN2at13globalContextEv";                  // at::globalContext()
    const string SetEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";      // at::Context::setUserEnabledNNPACK(bool)
    const string GetEnabled = "_ZNK2at7Context17userEnabledNNPACKEv";        // at::Context::userEnabledNNPACK() const

    static readonly Lazy<bool> TurnedOff = new(TurnOffNow);

    /// <summary>Turns NNPACK off (the first call does it); false where this platform's libtorch cannot be reached.</summary>
    public static bool TurnOff() => TurnedOff.Value;

    /// <summary>Whether libtorch would use NNPACK now; null where this platform's libtorch cannot be asked.</summary>
    public static unsafe bool? IsEnabled()
    {
        if (Context() is not var (lib, ctx) || !NativeLibrary.TryGetExport(lib, GetEnabled, out var get)) return null;
        return ((delegate* unmanaged<IntPtr, byte>)get)(ctx) != 0;
    }

    static unsafe bool TurnOffNow()
    {
        if (Context() is not var (lib, ctx) || !NativeLibrary.TryGetExport(lib, SetEnabled, out var set)) return false;
        ((delegate* unmanaged<IntPtr, byte, void>)set)(ctx, 0);
        return true;
    }

    /// <summary>The libtorch that TorchSharp loaded (loaded first, so that the same copy is found) and its global context.</summary>
    static unsafe (IntPtr Library, IntPtr Context)? Context()
    {
        if (!OperatingSystem.IsLinux()) return null;
        torch.InitializeDeviceType(DeviceType.CPU);
        if (!NativeLibrary.TryLoad(Library, out var lib) || !NativeLibrary.TryGetExport(lib, GlobalContext, out var context)) return null;
        return (lib, ((delegate* unmanaged<IntPtr>)context)());
    }
}
