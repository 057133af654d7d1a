// Types of the generated module beside it (scripts/generate-validators.ts).
import type { ValidateFunction } from 'ajv';
export declare const validateProfile: ValidateFunction;
export declare const validateExpectations: ValidateFunction;
export declare const validateCredentialSource: ValidateFunction;
export declare const validateSocialAccount: ValidateFunction;
export declare const validatePlatformAccount: ValidateFunction;
export declare const validateSteamAccount: ValidateFunction;
export declare const validateXboxAccount: ValidateFunction;
export declare const validateEpicgamesAccount: ValidateFunction;
