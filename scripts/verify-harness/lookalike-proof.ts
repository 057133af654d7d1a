import { CLASS_INFO, LOOK_ALIKE_CLASSES, lookAlikesFor, type LookAlikeClass } from '../../lib/redirect-lookalikes.ts';
import { LOOK_ALIKE_DEFECTS } from './lookalike-defects.ts';

/**
 * verify:harness's proof of the redirect_uri look-alike classes (lib/redirect-lookalikes.ts): every class is
 * refused by the good simulator (its tests pass there) and caught by its own defect mode (a test of that class
 * fails against the comparison lenient in exactly that way). Prints one line, e.g.
 * `redirect look-alikes: 11 classes, each refused by the simulator and caught by its defect`.
 */

/** The title of a class's tests: conformance "<title>: every look-alike is refused", e2e "refuses the <title> look-alikes". */
const titleMarks = (cls: LookAlikeClass): string[] => [`${CLASS_INFO[cls].title}: every look-alike is refused`, `refuses the ${CLASS_INFO[cls].title} look-alikes`];
const isClassTest = (cls: LookAlikeClass, title: string): boolean => titleMarks(cls).some((m) => title.includes(m));

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Fast mode: a look-alike defect runs only its class's conformance tests (both endpoints). Undefined for other defects. */
export function lookAlikeGrep(defect: string): string | undefined {
  const cls = LOOK_ALIKE_CLASSES.find((c) => LOOK_ALIKE_DEFECTS[c] === defect);
  return cls ? escapeRegExp(titleMarks(cls)[0]!) : undefined;
}

export interface LookAlikeRun {
  name: string;
  failedTitles: readonly string[];
}

export interface LookAlikeProof {
  ok: boolean;
  line: string;
  details: string[];
}

/**
 * `defects`: the runs of the defect modes that were selected; `good`: the passed test titles of the good simulator,
 * or null when it did not run (--no-good) or failed.
 */
export function lookAlikeProof(registered: readonly string[], defects: readonly LookAlikeRun[], good: { passed: boolean; passedTitles: readonly string[] } | null): LookAlikeProof {
  const count = lookAlikesFor(registered).length;
  const details: string[] = [];
  let proven = 0;
  let selected = 0;
  for (const cls of LOOK_ALIKE_CLASSES) {
    const run = defects.find((d) => d.name === LOOK_ALIKE_DEFECTS[cls]);
    if (!run) continue;
    selected += 1;
    const caught = run.failedTitles.some((t) => isClassTest(cls, t));
    const refused = good === null ? null : good.passed && good.passedTitles.some((t) => isClassTest(cls, t));
    if (caught && refused !== false) proven += 1;
    if (!caught || refused === false) {
      details.push(`  ${cls}: ${caught ? 'caught' : `NOT caught by its own tests (${run.failedTitles.length} other checks failed)`} by ${run.name}; ${refused === null ? 'simulator not run' : refused ? 'refused by the simulator' : 'NOT refused by the simulator (its tests did not pass there)'}`);
    }
  }
  const of = `${count} look-alikes of ${registered.length} registered URIs`;
  if (selected === 0) return { ok: true, line: 'redirect look-alikes: no look-alike defect selected', details };
  const all = selected === LOOK_ALIKE_CLASSES.length;
  const ok = proven === selected;
  const line = ok && good !== null
    ? `redirect look-alikes: ${proven}${all ? '' : ` of ${LOOK_ALIKE_CLASSES.length}`} classes, each refused by the simulator and caught by its defect (${of})`
    : ok
      ? `redirect look-alikes: ${proven}${all ? '' : ` of ${LOOK_ALIKE_CLASSES.length}`} classes caught by their defect; refusal by the simulator not checked (the good simulator did not run) (${of})`
      : `redirect look-alikes: ${proven} of ${selected} classes proven (${of})`;
  return { ok, line, details };
}
