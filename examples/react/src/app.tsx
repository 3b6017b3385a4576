/**
 * A tiny React 19 host: it holds the dashboard's filters in React state (mirrored back into
 * `<usage-filters>` through the `filters` property, which fires no event, so nothing loops),
 * passes `requestOptions` as a property, sets attributes, and routes user selection itself.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'usage-dashboard-elements/usage-filters';
import 'usage-dashboard-elements/usage-filter-bar';
import 'usage-dashboard-elements/consumption-events-table';
import type { RequestOptions, UsageFilterState, UsageFiltersChangeEvent, UsageUserSelectEvent } from 'usage-dashboard-elements';

export interface DashboardProps {
  endpoint: string;
  requestOptions: RequestOptions;
  initialFilters?: Partial<UsageFilterState>;
  /** The attribute the host sets on `<usage-filters>`. */
  range?: string;
}

export function Dashboard({ endpoint, requestOptions, initialFilters, range = '7d' }: DashboardProps) {
  const [filters, setFilters] = useState<Partial<UsageFilterState> | undefined>(initialFilters);
  const [changes, setChanges] = useState(0);
  const [openUser, setOpenUser] = useState<string | null>(null);

  const onFiltersChange = (event: UsageFiltersChangeEvent) => {
    setFilters(event.detail.state);
    setChanges((n) => n + 1);
  };
  const onUserSelect = (event: UsageUserSelectEvent) => {
    // The host routes to its own user page instead of narrowing the table.
    event.preventDefault();
    setOpenUser(event.detail.userId);
  };

  return (
    <usage-filters data-endpoint={endpoint} range={range} filters={filters} requestOptions={requestOptions} onusage-filters-change={onFiltersChange}>
      <p className="host-status">
        <span data-host="resource-type">{filters?.resourceType ?? 'all'}</span> · <span data-host="changes">{changes}</span> changes
        {openUser !== null && (
          <>
            {' '}
            · user page: <span data-host="user">{openUser}</span>
          </>
        )}
      </p>
      <usage-filter-bar />
      <consumption-events-table page-size={10} onusage-user-select={onUserSelect} />
    </usage-filters>
  );
}

/** Mounts the host into `container`; returns its unmount. */
export function mountDashboard(container: HTMLElement, props: DashboardProps): () => void {
  const root = createRoot(container);
  root.render(
    <StrictMode>
      <Dashboard {...props} />
    </StrictMode>,
  );
  return () => root.unmount();
}
