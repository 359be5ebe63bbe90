using Nuclei.Core.Settings;
using Nuclei.Torch.Inference;

namespace Nuclei;

/// <summary>
/// An option only a network uses, declared once in <see cref="SegmenterOptions.NetworkOnly"/>: the classical method
/// refuses it when set (<see cref="NucleiSegmenter.Load"/>), and run.json records its settled value under
/// <paramref name="RunName"/>, its source the command line when set, else the default (<see cref="RunSettingSources"/>).
/// </summary>
/// <param name="Setting">the name error messages give it</param>
/// <param name="IsSet">whether the caller set it</param>
/// <param name="RunName">its run.json name, kept apart from the property's so that a rename cannot change the file; null: not recorded there</param>
/// <param name="Settled">the value run.json writes for a network's run, as settled by the segmenter and its model</param>
internal sealed record NetworkOption(Setting Setting, Func<SegmenterOptions, bool> IsSet, string? RunName = null,
    Func<NucleiSegmenter, ModelSegmenter, object?>? Settled = null);
