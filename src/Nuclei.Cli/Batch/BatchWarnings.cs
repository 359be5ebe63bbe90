using System.Collections.Concurrent;

namespace Nuclei.Cli.Batch;

/// <summary>
/// Warnings raised while a batch runs (e.g. NaN pixels replaced in an image), kept and printed together after the
/// batch, so that they neither break the progress display nor get lost in it. Safe to add to from parallel work.
/// </summary>
internal sealed class BatchWarnings
{
    readonly ConcurrentQueue<string> _messages = new();

    public void Add(string message) => _messages.Enqueue(message);

    public int Count => _messages.Count;

    /// <summary>
    /// Writes every warning to stderr (not with --quiet), in name order (parallel work adds them in any order), each
    /// once: the planes of one file (--z each) raise the same warning about the file.
    /// </summary>
    public void Print()
    {
        foreach (string m in _messages.Distinct().Order(StringComparer.Ordinal)) Terminal.Messages.Warning(m);
    }
}
