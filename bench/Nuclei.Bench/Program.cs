using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project bench/Nuclei.Bench -- --filter '*'
// Side-by-side comparisons with Python oracles live in bench/python and bench/*.sh.
// Plain timing modes (seconds-long steps, compared with PyTorch): models-speed, models-memory, targets-speed;
// maskrcnn-step: a Mask R-CNN training step and its parts (RoIAlign, heads, NMS).
// Inference profile of one checkpoint (thread CPU time): segment-profile (read, normalise, forward, post-processing,
// write, end to end per image) and forward-variants (as saved / batch norm folded / channels-last, interleaved).
// Runtimes side by side: runtime-speed (images/s of segment with --runtime torch and onnx, on the samples).
// upload-memory IMAGE: peak memory of one upload of `nuclei serve` (decode, prediction, post-processing) per pixel.
// hostile-corpus OUTDIR: the hostile-file corpus that bench/hostile-corpus.sh runs every reader on.
if (args.Length > 0 && args[0] == "models-speed") return Nuclei.Bench.Models.ModelSpeed.Run(args[1..]);
if (args.Length > 0 && args[0] == "maskrcnn-step") return Nuclei.Bench.Models.MaskRcnnStep.Run(args[1..]);
if (args.Length > 0 && args[0] == "targets-speed") return Nuclei.Bench.Models.TargetSpeed.Run(args[1..]);
if (args.Length > 0 && args[0] == "models-memory") return Nuclei.Bench.Models.ModelSpeed.RunMemory(args[1..]);
if (args.Length > 0 && args[0] == "postprocessing")
    return Nuclei.Bench.PostProcessing.PostProcessingCommands.Run(args[1..]);
if (args.Length > 0 && args[0] == "learning-curve") return Nuclei.Bench.Generalisation.LearningCurve.Run(args[1..]);
if (args.Length > 0 && args[0] == "rescale-set") return Nuclei.Bench.Generalisation.RescaledSet.Run(args[1..]);
if (args.Length > 0 && args[0] == "big-slide") return Nuclei.Bench.Big.BigSlideBench.Run(args[1..]);
if (args.Length > 0 && args[0] == "segment-profile") return Nuclei.Bench.Inference.SegmentProfile.Run(args[1..]);
if (args.Length > 0 && args[0] == "forward-variants") return Nuclei.Bench.Inference.ForwardVariants.Run(args[1..]);
if (args.Length > 0 && args[0] == "runtime-speed") return Nuclei.Bench.Inference.RuntimeSpeed.Run(args[1..]);
if (args.Length > 0 && args[0] == "hostile-corpus") return Nuclei.Bench.Hostile.HostileCorpusCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "upload-memory") return Nuclei.Bench.Server.UploadMemory.Run(args[1..]);
if (args.Length > 0 && args[0] == "model-forward") return Nuclei.Bench.Runtime.OneDnnProbe.ModelForward(args[1..]);
if (args.Length > 0 && args[0] == "onednn-probe") return Nuclei.Bench.Runtime.OneDnnProbe.Run(args[1..]);
if (args.Length > 0 && args[0] == "scalar-race") return Nuclei.Bench.Runtime.ScalarRace.Run(args[1..]);
if (args.Length > 0 && args[0] == "measurements") return Nuclei.Bench.Measurements.MeasurementsBench.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
