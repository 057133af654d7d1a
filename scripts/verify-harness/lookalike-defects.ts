import type { LookAlikeClass } from '../../lib/redirect-lookalikes.ts';

/**
 * The defect mode (sim/defects.ts) whose redirect_uri comparison is lenient in the way each look-alike class
 * (lib/redirect-lookalikes.ts) tries. verify:harness proves every class twice with it: the good simulator refuses
 * every look-alike, and the suites catch the defect. A unit test checks each defect's comparison accepts every
 * look-alike of its class.
 */
export const LOOK_ALIKE_DEFECTS: Record<LookAlikeClass, string> = {
  normalisation: 'redirect-uri-normalised',
  'case-folding': 'redirect-uri-case-insensitive',
  'percent-decoding': 'redirect-uri-percent-decoded',
  prefix: 'redirect-uri-prefix-match',
  host: 'redirect-uri-host-substring',
  pattern: 'redirect-uri-pattern',
  'trailing-slash': 'redirect-uri-trailing-slash',
  fragment: 'redirect-uri-fragment-ignored',
  query: 'redirect-uri-query-subset',
  scheme: 'redirect-uri-scheme-ignored',
  whitespace: 'redirect-uri-trimmed',
};
