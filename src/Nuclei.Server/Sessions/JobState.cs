namespace Nuclei.Server.Sessions;

/// <summary>Where a segmentation job is; the last three are final.</summary>
internal enum JobState { Queued, Running, Done, Cancelled, Failed }
