import type { UsageErrorCode } from '../api/client.js';

export interface UsageErrorDetail {
  readonly code: UsageErrorCode;
  /** Meant for people: the endpoint's own message when it sent one. */
  readonly message: string;
  /** The request parameter or element attribute at fault. */
  readonly param?: string;
  readonly status?: number;
  readonly url?: string;
}

/** Fields of an error that may carry the client's details (a `UsageApiError` from any copy of the library). */
interface ErrorLike {
  message?: unknown;
  code?: unknown;
  param?: unknown;
  status?: unknown;
  url?: unknown;
}

/**
 * A request failed or an attribute had a bad value. The element shows the error too
 * (with a retry); this event lets a host log or report it. Never named `error`, which
 * is a native event.
 */
export class UsageErrorEvent extends Event {
  static readonly eventName = 'usage-error';
  readonly detail: UsageErrorDetail;

  constructor(detail: UsageErrorDetail) {
    super(UsageErrorEvent.eventName, { bubbles: true, composed: true, cancelable: false });
    this.detail = detail;
  }

  /**
   * The event for a caught error: a `UsageApiError` keeps its code, status, param and URL;
   * anything else is an `internal` fault with its message.
   */
  static fromError(error: unknown): UsageErrorEvent {
    const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
    const message = typeof e.message === 'string' && e.message ? e.message : String(error);
    const detail: { -readonly [K in keyof UsageErrorDetail]: UsageErrorDetail[K] } = {
      code: typeof e.code === 'string' ? (e.code as UsageErrorCode) : 'internal',
      message,
    };
    if (typeof e.param === 'string') detail.param = e.param;
    if (typeof e.status === 'number') detail.status = e.status;
    if (typeof e.url === 'string') detail.url = e.url;
    return new UsageErrorEvent(detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'usage-error': UsageErrorEvent;
  }
}
