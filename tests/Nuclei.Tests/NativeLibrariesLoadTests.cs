using OpenCvSharp;
using TorchSharp;

namespace Nuclei.Tests;

/// <summary>Both native stacks must load on the test machine (Debian 12 needs the build-time libLibTorchSharp fix).</summary>
public class NativeLibrariesLoadTests
{
    [Fact]
    public void OpenCvLoads() => Assert.StartsWith("4.", Cv2.GetVersionString());

    [Fact]
    public void TorchSharpLoadsAndComputes()
    {
        using var t = torch.ones(2, 3);
        Assert.Equal(6f, t.sum().item<float>());
    }
}
