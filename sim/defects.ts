import type { SimOptions } from './context.ts';
import type { Answer } from './http-io.ts';
import type { Rules } from './rules.ts';

/**
 * Defect modes: each is one spec violation a real server could ship, made by swapping one rule (or one
 * answer transform) and leaving every other rule as the documents say. `npm run verify:harness` starts the
 * simulator with each and expects the suites to notice.
 */
export type RouteId = 'jwtLogin' | 'oauthLogin' | 'crossAuth' | 'oauthToken' | 'usersMe' | 'other';

export interface Defect {
  description: string;
  rules?: Partial<Rules>;
  options?: Partial<SimOptions>;
  /** Rewrites an answer after the rules made it (for defects in the answer's shape rather than in a rule). */
  transform?: (answer: Answer, route: RouteId) => Answer | Promise<Answer>;
}

export const DEFECTS: Record<string, Defect> = {};

export function defectNamed(name: string): Defect {
  const defect = DEFECTS[name];
  if (!defect) {
    throw new Error(`unknown defect "${name}"; known defects: ${Object.keys(DEFECTS).sort().join(', ') || '(none)'}`);
  }
  return defect;
}
