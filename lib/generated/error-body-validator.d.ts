// Types of the generated module beside it (scripts/generate-validators.ts).
import type { ValidateFunction } from 'ajv';
export declare const validateErrorBody: ValidateFunction;
