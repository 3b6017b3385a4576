/**
 * A tiny Vue 3 host: it keeps the dashboard's filters in a ref (mirrored back into
 * `<usage-filters>` with the `.filters` property binding, which fires no event, so nothing
 * loops), binds `requestOptions` as a property, sets attributes, and routes user selection.
 */
import { computed, createApp, defineComponent, ref, type PropType } from 'vue';
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

export const Dashboard = defineComponent({
  props: {
    endpoint: { type: String, required: true },
    requestOptions: { type: Object as PropType<RequestOptions>, required: true },
    initialFilters: { type: Object as PropType<Partial<UsageFilterState>>, default: undefined },
    range: { type: String, default: '7d' },
  },
  setup(props) {
    const filters = ref<Partial<UsageFilterState> | undefined>(props.initialFilters);
    const changes = ref(0);
    const openUser = ref<string | null>(null);
    // Bound only once the host has a state: assigning `filters` replaces the whole state,
    // so binding undefined would reset the attributes' filters to the defaults.
    const filtersBinding = computed(() => (filters.value ? { '.filters': filters.value } : {}));
    return {
      filters,
      filtersBinding,
      changes,
      openUser,
      onFiltersChange(event: UsageFiltersChangeEvent) {
        filters.value = event.detail.state;
        changes.value += 1;
      },
      onUserSelect(event: UsageUserSelectEvent) {
        // The host routes to its own user page instead of narrowing the table.
        event.preventDefault();
        openUser.value = event.detail.userId;
      },
    };
  },
  template: `
    <usage-filters :data-endpoint="endpoint" :range="range" v-bind="filtersBinding" .requestOptions="requestOptions"
      @usage-filters-change="onFiltersChange">
      <p class="host-status">
        <span data-host="resource-type">{{ filters?.resourceType ?? 'all' }}</span> ·
        <span data-host="changes">{{ changes }}</span> changes
        <template v-if="openUser !== null"> · user page: <span data-host="user">{{ openUser }}</span></template>
      </p>
      <usage-filter-bar></usage-filter-bar>
      <consumption-events-table page-size="10" @usage-user-select="onUserSelect"></consumption-events-table>
    </usage-filters>`,
});

const USAGE_TAGS = ['usage-filters', 'usage-filter-bar', 'surplus-chart', 'consumption-chart', 'consumption-events-table'];

/** Mounts the host into `container`; returns its unmount. */
export function mountDashboard(container: HTMLElement, props: DashboardProps): () => void {
  const app = createApp(Dashboard, { ...props });
  // The library's tags are custom elements, not Vue components (named: a dash alone would
  // take vue-router's <router-view> too).
  app.config.compilerOptions.isCustomElement = (tag) => USAGE_TAGS.includes(tag);
  app.mount(container);
  return () => app.unmount();
}
