/** Minimal argument parsing: positionals and `--flag value` pairs. */
export class UsageError extends Error {}

export interface Args {
  positionals: string[];
  flags: Record<string, string>;
}

export function parseArgs(argv: string[]): Args {
  const positionals: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      flags[arg.slice(2)] = value;
      i++;
    } else positionals.push(arg);
  }
  return { positionals, flags };
}
