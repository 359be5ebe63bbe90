using Nuclei.Torch.Models;
using Nuclei.Torch.Runtime;

namespace Nuclei.Tests.Runtime;

/// <summary>NNPACK is off before any network runs, so a CPU it does not support prints no "Could not initialize NNPACK" lines.</summary>
public class NnpackTests
{
    [SkippableFact]
    public void Building_a_network_turns_nnpack_off()
    {
        using (var net = ModelRegistry.Create("caunet", new ModelOptions { BaseWidth = 2, Depth = 1 })) { }
        Skip.If(Nnpack.IsEnabled() is null, "libtorch's context cannot be reached on this platform");
        Assert.False(Nnpack.IsEnabled());
    }
}
