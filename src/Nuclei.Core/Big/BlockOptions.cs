using Nuclei.Core.Settings;

namespace Nuclei.Core.Big;

/// <summary>How a big image is cut into blocks (the one source of these defaults).</summary>
/// <param name="BlockSize">side of a block's core in pixels</param>
/// <param name="Context">margin segmented around each core, in pixels: must exceed the largest nucleus' diameter, so that the block holding a nucleus' centre sees it whole</param>
internal sealed record BlockOptions(int BlockSize = BlockOptions.DefaultBlockSize, int Context = BlockOptions.DefaultContext)
{
    public const int DefaultBlockSize = 1024;
    public const int DefaultContext = 128;

    /// <summary>Images with more pixels than this (4096²) are segmented block-wise without being asked.</summary>
    public const long AutoAbovePixels = 4096L * 4096;

    public void Validate()
    {
        if (BlockSize < 64) throw new NucleiInputException(null, $"{Setting.BlockSize} must be at least 64 pixels, got {BlockSize}");
        if (Context < 0 || Context > BlockSize) throw new NucleiInputException(null, $"{Setting.BlockContext} must be within 0..{Setting.BlockSize} ({BlockSize}), got {Context}");
    }
}
