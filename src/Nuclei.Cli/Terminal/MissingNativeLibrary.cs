using System.Runtime.InteropServices;

namespace Nuclei.Cli.Terminal;

/// <summary>
/// Turns a native library that does not load (a DllNotFoundException, or the type initializer that wraps it) into one
/// line naming the library, this platform and what to add, instead of .NET's trace of every path it tried. Which
/// natives each platform's build has: build/NativeRuntimes.targets and the README's "What each OS gets".
/// </summary>
internal static class MissingNativeLibrary
{
    /// <summary>A native library, how .NET names it in a failure (file or type name), and what to do where it is missing.</summary>
    sealed record Native(string What, string File, string[] Marks, Func<string, string> Advice);

    static readonly Native[] Known =
    [
        new("OpenCV", "OpenCvSharpExtern", ["OpenCvSharpExtern", "OpenCvSharp."], OpenCvAdvice),
        new("libvips", "libvips", ["libvips", "NetVips."], rid => $"publish with -r {rid} so that NetVips.Native.{rid} is included"),
        new("libtorch", "LibTorchSharp / torch_cpu", ["LibTorchSharp", "torch_cpu", "TorchSharp."], rid => $"publish with -r {rid} so that libtorch-cpu-{rid} is included"),
        new("ONNX Runtime", "onnxruntime", ["onnxruntime", "Microsoft.ML.OnnxRuntime."],
            rid => "a GPU build (-p:NucleiGpu=true) also needs CUDA 13 and cuDNN 9 on the library path; --runtime torch does without it"),
    ];

    /// <summary>The one line for <paramref name="e"/> when it (or what it wraps) is a native library that did not load; null otherwise.</summary>
    public static string? Describe(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            string? mark = x switch
            {
                DllNotFoundException => x.Message,
                TypeInitializationException t when t.InnerException is DllNotFoundException or TypeInitializationException => t.TypeName,
                _ => null,
            };
            if (mark is null) continue;
            string rid = RuntimeInformation.RuntimeIdentifier;
            foreach (var n in Known)
                if (n.Marks.Any(m => mark.Contains(m, StringComparison.OrdinalIgnoreCase)))
                    return $"{n.What}'s native library ({n.File}) does not load on {rid}: {n.Advice(rid)}";
            return $"a native library does not load on {rid}: {Clip(x.Message)}";
        }
        return null;
    }

    static string OpenCvAdvice(string rid) => rid switch
    {
        _ when rid.StartsWith("win", StringComparison.Ordinal) =>
            "this build has no OpenCV for Windows; add the package OpenCvSharp4.runtime.win (nuget.org) to src/Nuclei.Cli and publish again",
        _ when rid.StartsWith("osx", StringComparison.Ordinal) =>
            "this build has no OpenCV for macOS; put a libOpenCvSharpExtern.dylib built from OpenCvSharp's sources next to nuclei",
        _ => "the library is missing from the program's folder, or a system library it links against is (libgtk-3-0, libdrm2, libatomic1, libgomp1: build/ensure-native-deps.sh installs them on Debian)",
    };

    /// <summary>The first line of .NET's message, which goes on to list every path it tried.</summary>
    static string Clip(string message) => Core.UntrustedText.Clean(message.Split('\n')[0].Trim(), 200);
}
