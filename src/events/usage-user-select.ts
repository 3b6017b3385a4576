export interface UsageUserSelectDetail {
  readonly userId: string;
}

/**
 * A person chose a user. Cancelable: a host that routes to its own user page calls
 * `preventDefault()`, and the element then skips its default action (narrowing the
 * shared filters to that user).
 */
export class UsageUserSelectEvent extends Event {
  static readonly eventName = 'usage-user-select';
  readonly detail: UsageUserSelectDetail;

  constructor(detail: UsageUserSelectDetail) {
    super(UsageUserSelectEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'usage-user-select': UsageUserSelectEvent;
  }
}
