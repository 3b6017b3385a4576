/**
 * The one error type the handler turns into a contract error body
 * (`{ error: { code, message, param?, details? } }`). Anything else thrown is a real fault
 * and becomes a 500 `internal`.
 */
import type { ErrorCode } from '../../src/api/contract.js';

const STATUS: Record<ErrorCode, number> = {
  bad_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  limit_exceeded: 422,
  rate_limited: 429,
  internal: 500,
};

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS[code];
  }

  /** The contract's error body. */
  toBody(): { error: { code: ErrorCode; message: string; param?: string; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.param !== undefined ? { param: this.param } : {}),
        ...(this.details !== undefined ? { details: this.details } : {}),
      },
    };
  }
}

/** A 400 that names the parameter. */
export function badParameter(param: string, message: string): ApiError {
  return new ApiError('bad_parameter', message, param);
}
