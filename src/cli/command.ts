/** One `chapar` sub-command. Commands write through `io` so tests can capture output. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text shown by `chapar <name> --help`. */
  usage: string;
  /** Resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A usage mistake: the CLI prints `chapar <command>: <message>` and exits 2. */
export class UsageError extends Error {}
