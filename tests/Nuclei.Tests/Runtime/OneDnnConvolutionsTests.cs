using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Nuclei.Tests.Runtime;

/// <summary>
/// Training a narrow network gets right input gradients on every CPU: oneDNN computes them wrong on some (output channels
/// not a multiple of 16), so the scope a training run opens for such a network sends convolutions to libtorch's native kernels.
/// </summary>
[Collection("torch-training")]
public class OneDnnConvolutionsTests
{
    [Fact]
    public void Narrow_convolutions_wider_than_one_pixel_are_the_exposed_ones()
    {
        using var narrow = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(8, 16, 3), nn.Conv2d(16, 3, 1), nn.Conv2d(16, 24, 5));
        Assert.Equal(2, OneDnnConvolutions.ExposedLayers(narrow));   // 3->8 3×3 and 16->24 5×5; 16 channels and 1×1 are not
        using var bundled = ModelRegistry.Create("scamunet_resnet18_imagenet", new ModelOptions());
        Assert.Equal(0, OneDnnConvolutions.ExposedLayers(bundled));  // the bundled architecture never needs the slower path
    }

    [Fact]
    public void Inside_the_scope_a_narrow_convolutions_input_gradient_equals_float64s()
    {
        var messages = new List<string>();
        using var net = nn.Sequential(nn.Conv2d(8, 8, 3, padding: 1));
        using (OneDnnConvolutions.AvoidForNarrow(net, messages.Add))
        {
            Assert.False(OneDnnConvolutions.InputGradientIsWrong());
            Assert.Single(messages);   // said once
        }
        // the flag is as it was after the scope
        Assert.True(LibTorchContext.MkldnnEnabled || !LibTorchContext.Available);
    }
}
