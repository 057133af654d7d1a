import { OptionsError, splitList } from './command-line.ts';

/**
 * The stages of a run, in pipeline order. Named by the main job (`npm start -- --only`, `--require`) and by the
 * report build (`npm run report -- --require`), whose quality gate checks that a required stage ran.
 */
export const STAGE_NAMES = ['conformance', 'e2e', 'load'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** A comma-separated list of stage names (--only, --require), in pipeline order whatever order they were named in. */
export function parseStageList(value: string, flag: string): StageName[] {
  const wanted = splitList(value, flag);
  const unknown = wanted.filter((s) => !(STAGE_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new OptionsError(`${flag}: unknown stage "${unknown[0]}" (stages: ${STAGE_NAMES.join(', ')})`);
  return STAGE_NAMES.filter((s) => wanted.includes(s));
}
