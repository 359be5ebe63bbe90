using Nuclei.Server.Uploads;

namespace Nuclei.Server.Sessions;

/// <summary>
/// One upload on its way to the session: queued, then running (with the fraction done), then done (with its image
/// id), cancelled or failed (with a message). Thread-safe; the state only moves forward.
/// </summary>
internal sealed class SegmentationJob
{
    readonly object gate = new();
    readonly CancellationTokenSource cancel = new();
    // the image id, not the entry: finished jobs are kept a while and must not keep removed images in memory
    readonly TaskCompletionSource<string> finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    double progress;

    public SegmentationJob(string id, string name, UploadFields fields)
    {
        Id = id; Name = name; Fields = fields;
    }

    /// <summary>Random, server-chosen (as image ids).</summary>
    public string Id { get; }
    /// <summary>The upload's name as the client gave it (cleaned), for display.</summary>
    public string Name { get; }
    public UploadFields Fields { get; }
    /// <summary>The upload's name, size and digest (null for a job not made from an upload).</summary>
    public UploadedFile? Upload { get; init; }
    public JobState State { get; private set; }
    /// <summary>Fraction of the prediction done, 0..1 (1 once done).</summary>
    public double Progress => Volatile.Read(ref progress);
    public string? Error { get; private set; }
    public string? ImageId { get; private set; }

    /// <summary>Asked by <see cref="Cancel"/>: the queue drops the job, or the prediction stops at its next forward pass.</summary>
    public CancellationToken Cancellation => cancel.Token;

    /// <summary>The session image's id once done; throws the failure, or <see cref="OperationCanceledException"/> once cancelled.</summary>
    public Task<string> Finished => finished.Task;

    /// <summary>State, progress, image id and error read together (never a done job without its image id).</summary>
    public (JobState State, double Progress, string? ImageId, string? Error) Snapshot()
    {
        lock (gate) return (State, Progress, ImageId, Error);
    }

    public bool IsFinal => State is JobState.Done or JobState.Cancelled or JobState.Failed;

    public void Report(double fraction)
    {
        lock (gate) if (State == JobState.Running && fraction > progress) Volatile.Write(ref progress, Math.Min(fraction, 1));
    }

    public void Start() { lock (gate) if (State == JobState.Queued) State = JobState.Running; }

    /// <summary>Asks the job to stop; false when it had already ended.</summary>
    public bool Cancel()
    {
        lock (gate) if (IsFinal) return false;
        cancel.Cancel();
        return true;
    }

    public void Complete(ImageEntry entry)
    {
        lock (gate)
        {
            if (IsFinal) return;
            State = JobState.Done; ImageId = entry.Id; Volatile.Write(ref progress, 1);
        }
        finished.TrySetResult(entry.Id);
    }

    public void Stop()
    {
        lock (gate)
        {
            if (IsFinal) return;
            State = JobState.Cancelled; Error = $"{Name}: cancelled";
        }
        finished.TrySetCanceled(cancel.Token);
    }

    /// <param name="message">for the client: the input error's message, or a generic one (the details go to the log)</param>
    public void Fail(Exception e, string message)
    {
        lock (gate)
        {
            if (IsFinal) return;
            State = JobState.Failed; Error = message;
        }
        finished.TrySetException(e);
    }
}
