/**
 * The names of the users a chart lists by ID (the consumption chart's groups by user, the
 * surplus chart's "Who is drawing surplus"), looked up with one `GET users?id=…` per list
 * (`fetchUsersById`). The IDs are the data and stay shown beside the names; a user without
 * a name, one the endpoint does not know, or a lookup that fails keeps the ID alone (names
 * help reading, so a failed lookup is no error of the chart's). While a new list is looked
 * up, the names already known stay.
 */
import { Task } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import { fetchUsersById, type RequestOptions } from '../api/client.js';
import { revealControls } from '../format/bidi.js';

export interface UserNamesSource {
  readonly endpoint: string | undefined;
  readonly requestOptions: RequestOptions | undefined;
  /** The IDs to name; null or empty when the chart lists no users. */
  readonly ids: readonly string[] | null | undefined;
}

const NONE: ReadonlyMap<string, string> = new Map();

export class UserNames {
  #names = NONE;
  /** The endpoint and request options the names came from. */
  #from?: readonly [string, RequestOptions | undefined];
  constructor(host: ReactiveControllerHost, source: () => UserNamesSource) {
    // A controller of the host: it runs whenever the source's IDs change.
    new Task(host, {
      task: async ([endpoint, requestOptions, key], { signal }) => {
        if (!endpoint || !key) return;
        const ids: string[] = JSON.parse(key);
        // Names from another endpoint or credentials are not this one's.
        const same = this.#from?.[0] === endpoint && this.#from[1] === requestOptions;
        const known = new Map(same ? this.#names : NONE);
        try {
          for (const user of await fetchUsersById(endpoint, ids, { signal, requestOptions })) {
            // A name that is the ID says nothing more: the ID alone.
            if (user.name && user.name !== user.id) known.set(user.id, revealControls(user.name));
          }
        } catch (error) {
          if (signal.aborted) throw error;
          // Failed: the names this endpoint gave before stay, another endpoint's go.
        }
        this.#names = known;
        this.#from = [endpoint, requestOptions];
      },
      // The IDs as one string: a new array with the same IDs (every answer's) asks nothing.
      args: () => {
        const { endpoint, requestOptions, ids } = source();
        return [endpoint, requestOptions, ids?.length ? JSON.stringify([...ids].sort()) : ''] as const;
      },
    });
  }

  /** The names known, by user ID (a new map whenever names arrive). */
  get names(): ReadonlyMap<string, string> {
    return this.#names;
  }
}
