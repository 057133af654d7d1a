/**
 * What the entry points' command lines share: the error a mistake on the command line raises (its message names
 * the flag and what it accepts; the entry point prints it with its usage and exits 2) and a comma-separated list.
 * Here rather than beside one entry point, because the report build (`npm run report`) reads the same flags.
 */

export class OptionsError extends Error {
  override name = 'OptionsError';
}

export function splitList(value: string, flag: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new OptionsError(`${flag}: expected a comma-separated list, got "${value}"`);
  return items;
}
