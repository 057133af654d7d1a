/** The documented contract as data: one source of truth for the simulator, the suites, the load scripts and the reports. */
export * from './sources.ts';
export * from './providers.ts';
export * from './rules.ts';
export * from './errors.ts';
export * from './endpoints.ts';
export * from './answers.ts';
