using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project bench/Nuclei.Bench -- --filter '*'
// Side-by-side comparisons with Python oracles live in bench/python and bench/*.sh.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
