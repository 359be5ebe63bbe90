using System.Runtime.InteropServices;
using TorchSharp;

namespace Nuclei.Torch.Training;

/// <summary>
/// [train] debug_nonfinite: libtorch's deterministic mode, in which tensors made without values (torch.empty and the
/// buffers kernels allocate) are filled with NaN, so a read of memory nothing wrote turns the loss NaN at once instead of
/// now and then; and autograd's anomaly detection, which names the backward operation that first made a NaN. See
/// PyTorch's torch.use_deterministic_algorithms and torch.utils.deterministic.fill_uninitialized_memory. TorchSharp does
/// not bind the first, so it is called in libtorch (at::Context) directly; that needs the Linux build's C++ symbols.
/// </summary>
internal static class NonFiniteDebugging
{
    public static void Enable(ITrainingObserver observer)
    {
        torch.autograd.set_detect_anomaly(true);
        string fill = FillUninitialisedMemory()
            ? "new tensors filled with NaN"
            : "filling new tensors with NaN is not available on this platform";
        observer.Info($"debug_nonfinite: anomaly detection on, {fill}; the first non-finite step stops the run");
    }

    /// <summary>at::globalContext().setDeterministicAlgorithms(true, warn_only: true) and setDeterministicFillUninitializedMemory(true).</summary>
    static unsafe bool FillUninitialisedMemory()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libtorch_cpu.so", out var lib)) return false;
        if (!NativeLibrary.TryGetExport(lib, "_ZN2at13globalContextEv", out var context)
            || !NativeLibrary.TryGetExport(lib, "_ZN2at7Context26setDeterministicAlgorithmsEbb", out var deterministic)
            || !NativeLibrary.TryGetExport(lib, "_ZN2at7Context39setDeterministicFillUninitializedMemoryEb", out var fill))
            return false;
        IntPtr ctx = ((delegate* unmanaged<IntPtr>)context)();
        ((delegate* unmanaged<IntPtr, byte, byte, void>)deterministic)(ctx, 1, 1);
        ((delegate* unmanaged<IntPtr, byte, void>)fill)(ctx, 1);
        return true;
    }
}
