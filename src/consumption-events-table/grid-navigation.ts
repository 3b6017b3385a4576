/**
 * Keyboard navigation of the event table, as in a data grid: the body is one tab stop
 * (roving tabindex) and the arrow keys move between cells; Home/End go to the ends of a
 * row (with Ctrl, of the table); PageUp/PageDown move ten rows. The header's sort buttons
 * stay ordinary tab stops and take part in the arrow keys.
 *
 * Stops are marked in the template: `data-nav` names a stop uniquely within its row and,
 * unless `data-col` names another, its column (so that Up/Down land in the same column). Rows carry
 * `aria-rowindex`; the header row is 1.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface GridNavigationOptions {
  /** The element holding the rows (the `role="table"`). */
  container(): HTMLElement | null | undefined;
  /** Brings a body row that is not rendered (virtualized) into the DOM; resolves when it is there. */
  revealRow(rowIndex: number): Promise<void>;
}

interface Position {
  row: number;
  key: string;
  /** The row's own key (the event's id), so that the stop follows its row when rows are inserted above it. */
  id?: string | undefined;
}

const PAGE_ROWS = 10;
const HEADER_ROW = 1;

export class GridNavigationController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: GridNavigationOptions;
  #active: Position | null = null;
  #firstRow = HEADER_ROW + 1;
  #lastRow = HEADER_ROW;
  #ids: readonly string[] = [];
  /**
   * Where focus is going while a virtualized row is being revealed: keys pressed meanwhile
   * move on from there (not from the stop that still has focus), and only the latest move
   * takes focus.
   */
  #pending: { row: number; column: string } | null = null;
  #moves = 0;

  constructor(host: ReactiveControllerHost, options: GridNavigationOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {}

  /**
   * The body rows rendered now: the first one's `aria-rowindex` and each row's key in order.
   * The tab stop stays inside them, on the same row (by key) when rows move.
   */
  setRows(firstRow: number, ids: readonly string[]): void {
    this.#firstRow = firstRow;
    this.#lastRow = firstRow + ids.length - 1;
    this.#ids = ids;
    const active = this.#active;
    const index = active?.id === undefined ? -1 : ids.indexOf(active.id);
    if (active && index >= 0) active.row = firstRow + index;
  }

  /** The body's single tab stop gets 0, every other stop -1. */
  tabIndexFor(row: number, key: string): 0 | -1 {
    // The stop last focused while its row is rendered, else the first row's Created cell.
    const active = this.#active;
    const stop = active && active.row >= this.#firstRow && active.row <= this.#lastRow ? active : { row: this.#firstRow, key: 'created' };
    return stop.row === row && stop.key === key ? 0 : -1;
  }

  readonly handleFocusIn = (event: FocusEvent): void => {
    const stop = this.#stopOf(event);
    if (!stop || stop.row <= HEADER_ROW) return;
    if (this.#active?.row === stop.row && this.#active.key === stop.key) return;
    this.#active = this.#position(stop.row, stop.key);
    this.#host.requestUpdate();
  };

  readonly handleKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.metaKey) return;
    const focused = this.#stopOf(event);
    if (!focused) return;
    const stops = [...focused.rowElement.querySelectorAll<HTMLElement>('[data-nav]')];
    const stop = this.#pending ? { ...focused, ...this.#pending } : focused;
    const index = this.#pending ? Math.max(0, stops.findIndex((s) => (s.dataset.col ?? s.dataset.nav) === stop.column)) : stops.indexOf(stop.element);
    let target: { row: number; key?: string; index?: number } | null = null;
    switch (event.key) {
      case 'ArrowLeft':
        target = { row: stop.row, index: Math.max(0, index - 1) };
        break;
      case 'ArrowRight':
        target = { row: stop.row, index: Math.min(stops.length - 1, index + 1) };
        break;
      case 'Home':
        target = event.ctrlKey ? { row: this.#firstRow, index: 0 } : { row: stop.row, index: 0 };
        break;
      case 'End':
        target = event.ctrlKey ? { row: this.#lastRow, index: Number.POSITIVE_INFINITY } : { row: stop.row, index: stops.length - 1 };
        break;
      case 'ArrowUp':
        target = { row: stop.row <= this.#firstRow ? HEADER_ROW : stop.row - 1, key: stop.column };
        break;
      case 'ArrowDown':
        target = { row: stop.row === HEADER_ROW ? this.#firstRow : Math.min(this.#lastRow, stop.row + 1), key: stop.column };
        break;
      case 'PageUp':
        target = { row: stop.row === HEADER_ROW ? HEADER_ROW : Math.max(this.#firstRow, stop.row - PAGE_ROWS), key: stop.column };
        break;
      case 'PageDown':
        target = { row: Math.min(this.#lastRow, Math.max(this.#firstRow, stop.row + PAGE_ROWS)), key: stop.column };
        break;
      case ' ':
        // Space in a plain cell scrolled the page away from it; a button's Space presses it.
        if (focused.element.localName === 'td') event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    if (target.row < HEADER_ROW || (target.row > HEADER_ROW && this.#lastRow < this.#firstRow)) return;
    void this.#focus(target);
  };

  /** Moves focus to a stop: by index in its row, or the stop of a column. */
  async #focus(target: { row: number; key?: string; index?: number }): Promise<void> {
    const move = ++this.#moves;
    let row = this.#rowElement(target.row);
    if (!row) {
      this.#pending = { row: target.row, column: target.key ?? this.#pending?.column ?? 'created' };
      await this.#options.revealRow(target.row);
      if (move !== this.#moves) return;
      this.#pending = null;
      row = this.#rowElement(target.row);
    } else {
      this.#pending = null;
    }
    if (!row) return;
    const stops = [...row.querySelectorAll<HTMLElement>('[data-nav]')];
    const element =
      target.index !== undefined
        ? stops[Math.min(target.index, stops.length - 1)]
        : (stops.find((s) => s.dataset.nav === target.key) ?? stops.find((s) => s.dataset.col === target.key) ?? stops[0]);
    if (!element) return;
    if (target.row > HEADER_ROW) {
      this.#active = this.#position(target.row, element.dataset.nav!);
      element.tabIndex = 0;
      this.#host.requestUpdate();
    }
    element.focus();
    element.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }

  #position(row: number, key: string): Position {
    return { row, key, id: this.#ids[row - this.#firstRow] };
  }

  #rowElement(row: number): HTMLElement | null {
    return this.#options.container()?.querySelector<HTMLElement>(`[role="row"][aria-rowindex="${row}"]`) ?? null;
  }

  #stopOf(event: Event): { element: HTMLElement; rowElement: HTMLElement; row: number; key: string; column: string } | null {
    const origin = event.composedPath()[0];
    if (!(origin instanceof HTMLElement)) return null;
    const element = origin.closest<HTMLElement>('[data-nav]');
    const rowElement = element?.closest<HTMLElement>('[role="row"]');
    if (!element || !rowElement) return null;
    const row = Number(rowElement.getAttribute('aria-rowindex'));
    return { element, rowElement, row, key: element.dataset.nav ?? '', column: element.dataset.col ?? element.dataset.nav ?? '' };
  }
}
