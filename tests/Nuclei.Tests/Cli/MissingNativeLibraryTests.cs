using System.Runtime.InteropServices;
using Nuclei.Cli.Batch;
using Nuclei.Cli.Terminal;

namespace Nuclei.Tests.Cli;

/// <summary>A native library that does not load is one line naming it, the platform and what to add, not .NET's trace.</summary>
public sealed class MissingNativeLibraryTests
{
    // as .NET reports it: a first line, then every path it tried
    static DllNotFoundException NotFound(string name) => new($"Unable to load shared library '{name}' or one of its dependencies.\n/app/{name}.so: cannot open shared object file\n/app/lib{name}.so: cannot open shared object file");

    [Fact]
    public void OpenCv_wrapped_in_its_type_initializer_is_one_line_naming_the_library()
    {
        var e = new TypeInitializationException("OpenCvSharp.Internal.NativeMethods", NotFound("OpenCvSharpExtern"));
        string line = MissingNativeLibrary.Describe(e)!;
        Assert.StartsWith("OpenCV's native library (OpenCvSharpExtern) does not load on " + RuntimeInformation.RuntimeIdentifier, line);
        Assert.DoesNotContain("\n", line);
        Assert.Equal(line, BatchRunner.Describe(new AggregateException(e)));   // a batch's failure says the same
    }

    [Theory]
    [InlineData("LibTorchSharp", "libtorch")]
    [InlineData("libvips.so.42", "libvips")]
    [InlineData("onnxruntime", "ONNX Runtime")]
    public void Each_known_library_is_named(string file, string what) =>
        Assert.StartsWith($"{what}'s native library", MissingNativeLibrary.Describe(NotFound(file)));

    [Fact]
    public void An_unknown_one_keeps_the_first_line_of_the_message_and_other_errors_are_left_alone()
    {
        Assert.Equal($"a native library does not load on {RuntimeInformation.RuntimeIdentifier}: Unable to load shared library 'zzz' or one of its dependencies.",
            MissingNativeLibrary.Describe(NotFound("zzz")));
        Assert.Null(MissingNativeLibrary.Describe(new InvalidOperationException("OpenCvSharpExtern")));
        Assert.Null(MissingNativeLibrary.Describe(new TypeInitializationException("OpenCvSharp.Mat", new ArgumentException())));
    }
}
