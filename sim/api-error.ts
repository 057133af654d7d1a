import { ANSWERS, type AnswerCase } from '../contract/index.ts';

/** A documented error answer the simulator sends: the case from contract/answers.ts plus what went wrong. */
export class ApiError extends Error {
  constructor(
    readonly answer: AnswerCase,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(ANSWERS[answer].description);
  }
}

export const fail = (answer: AnswerCase, details?: Record<string, unknown>): never => {
  throw new ApiError(answer, details);
};
