namespace Nuclei.Server.Sessions;

/// <summary>
/// The session's jobs by id, in memory. Finished jobs are kept for their clients to read, the oldest forgotten
/// beyond <see cref="MaxFinished"/>. Thread-safe.
/// </summary>
internal sealed class JobStore
{
    public const int MaxFinished = 500;

    readonly object gate = new();
    readonly List<SegmentationJob> jobs = new();

    public IReadOnlyList<SegmentationJob> All { get { lock (gate) return jobs.ToList(); } }

    public SegmentationJob? Find(string id) { lock (gate) return jobs.FirstOrDefault(j => j.Id == id); }

    public void Add(SegmentationJob job)
    {
        lock (gate)
        {
            jobs.Add(job);
            int excess = jobs.Count(j => j.IsFinal) - MaxFinished;
            if (excess > 0) jobs.RemoveAll(j => j.IsFinal && excess-- > 0);
        }
    }
}
