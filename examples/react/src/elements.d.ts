/**
 * JSX types for the library's tags in React 19: React sets a prop as a property when the
 * element has one (`filters`, `requestOptions`), as an attribute otherwise (`data-endpoint`,
 * `page-size`), and listens to `on<event-name>` props as events.
 *
 * A host of the published package needs none of this: `import type {} from
 * 'usage-dashboard-elements/react'` (the build's dist/types/react.d.ts). This example is
 * type-checked against the sources, before any build (`npm run typecheck`), so it declares
 * the tags itself; test/package/framework-types.test.mjs checks app.tsx against the
 * package's own types, without this file.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  ConsumptionEventsTable,
  RequestOptions,
  UsageErrorEvent,
  UsageFilterBar,
  UsageFilters,
  UsageFilterState,
  UsageFiltersChangeEvent,
  UsageRequestSelectEvent,
  UsageUserSelectEvent,
} from 'usage-dashboard-elements';

interface UsageElementProps<E extends HTMLElement> extends DetailedHTMLProps<HTMLAttributes<E>, E> {
  'data-endpoint'?: string;
  'filter-group'?: string;
  'time-zone'?: string;
  locale?: string;
  theme?: 'light' | 'dark' | 'auto';
  live?: boolean;
  range?: string;
  from?: string;
  to?: string;
  'resource-type'?: string;
  'user-id'?: string;
  'user-ids'?: string;
  filters?: Partial<UsageFilterState>;
  requestOptions?: RequestOptions;
  'onusage-filters-change'?: (event: UsageFiltersChangeEvent) => void;
  'onusage-user-select'?: (event: UsageUserSelectEvent) => void;
  'onusage-request-select'?: (event: UsageRequestSelectEvent) => void;
  'onusage-error'?: (event: UsageErrorEvent) => void;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'usage-filters': UsageElementProps<UsageFilters> & { 'sync-url'?: string | boolean };
      'usage-filter-bar': UsageElementProps<UsageFilterBar>;
      'consumption-events-table': UsageElementProps<ConsumptionEventsTable> & {
        'page-size'?: number | string;
        sort?: string;
        order?: 'asc' | 'desc';
        'user-href'?: string;
      };
    }
  }
}
