namespace Nuclei.Cli.Terminal;

/// <summary>How much the command says on stderr: --quiet (errors only), normal, or --verbose (also per-item details).</summary>
internal enum Verbosity { Quiet, Normal, Verbose }
