import type { EndpointId } from '../../contract/index.ts';

/**
 * The weighted mix of endpoints and providers throughput.ts and soak.ts send. The choice is a low-discrepancy
 * sequence over the iteration number rather than Math.random: every window of the run carries the mix in
 * its proportions, so per-endpoint latency is comparable between runs and short runs are not skewed.
 */

export type MixWeights = Partial<Record<EndpointId, number>>;

/** The documented calls, weighted the way a game's sign-in traffic leans: mostly JWT, then OAuth, then silent auth. */
export const DEFAULT_MIX: MixWeights = { jwtLogin: 0.5, oauthLogin: 0.3, crossAuth: 0.2 };

const GOLDEN = 0.6180339887498949;

/** A fraction in [0, 1) for the i-th iteration, evenly spread (Weyl sequence). */
export function spread(i: number): number {
  const x = (i + 1) * GOLDEN;
  return x - Math.floor(x);
}

/** The entry whose cumulative weight interval contains `fraction` (weights need not sum to 1). */
export function pickWeighted<T extends string>(weights: Partial<Record<T, number>>, fraction: number): T {
  const entries = (Object.entries(weights) as [T, number][]).filter(([, w]) => w > 0);
  if (entries.length === 0) throw new Error('mix: no entry has a positive weight');
  const total = entries.reduce((n, [, w]) => n + w, 0);
  let acc = 0;
  const target = Math.min(Math.max(fraction, 0), 0.999999999) * total;
  for (const [name, w] of entries) {
    acc += w;
    if (target < acc) return name;
  }
  return entries[entries.length - 1]![0];
}

/** Removes endpoints the run cannot send (no provider with credentials) and keeps the rest's proportions. */
export function usableMix(weights: MixWeights, available: Partial<Record<EndpointId, readonly string[]>>): MixWeights {
  const out: MixWeights = {};
  for (const [endpoint, w] of Object.entries(weights) as [EndpointId, number][]) {
    if ((available[endpoint]?.length ?? 0) > 0 && w > 0) out[endpoint] = w;
  }
  return out;
}

export function pickProvider(providers: readonly string[], i: number): string {
  if (providers.length === 0) throw new Error('mix: no provider to choose from');
  return providers[i % providers.length]!;
}
