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
    const string SetEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";      // at::Context::setUserEnabledNNPACK(bool)
    const string GetEnabled = "_ZNK2at7Context17userEnabledNNPACKEv";        // at::Context::userEnabledNNPACK() const

    static readonly Lazy<bool> TurnedOff = new(TurnOffNow);

    /// <summary>Turns NNPACK off (the first call does it); false where this platform's libtorch cannot be reached.</summary>
    public static bool TurnOff() => TurnedOff.Value;

    /// <summary>Whether libtorch would use NNPACK now; null where this platform's libtorch cannot be asked.</summary>
    public static unsafe bool? IsEnabled()
    {
        if (LibTorchContext.Context is not { } ctx || LibTorchContext.Export(GetEnabled) is var get && get == IntPtr.Zero) return null;
        return ((delegate* unmanaged<IntPtr, byte>)get)(ctx) != 0;
    }

    static unsafe bool TurnOffNow()
    {
        if (LibTorchContext.Context is not { } ctx || LibTorchContext.Export(SetEnabled) is var set && set == IntPtr.Zero) return false;
        ((delegate* unmanaged<IntPtr, byte, void>)set)(ctx, 0);
        return true;
    }
}
