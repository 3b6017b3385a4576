export interface UsageRequestSelectDetail {
  readonly requestId: string;
}

/** A person chose a request ID (to investigate one request). */
export class UsageRequestSelectEvent extends Event {
  static readonly eventName = 'usage-request-select';
  readonly detail: UsageRequestSelectDetail;

  constructor(detail: UsageRequestSelectDetail) {
    super(UsageRequestSelectEvent.eventName, { bubbles: true, composed: true, cancelable: false });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'usage-request-select': UsageRequestSelectEvent;
  }
}
