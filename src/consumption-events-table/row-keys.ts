/**
 * The keys the table renders its rows by. An event that stays on screen keeps its row (a
 * live insertion moves the other rows down with their focus and highlight); an event new to
 * the screen takes the row of one that left, so a page change or a sort updates the rows it
 * has instead of removing every row and building new ones (removing and creating the rows
 * was most of a repaint's script and style time). Keys are opaque numbers.
 */
export class RowKeys {
  #keys = new Map<string, number>();
  #next = 0;

  /** Assigns the keys for the rows about to be rendered, in order; returns the key of an id. */
  assign(ids: readonly string[]): (id: string) => number {
    const previous = this.#keys;
    const keys = new Map<string, number>();
    const kept = new Set<number>();
    for (const id of ids) {
      const key = previous.get(id);
      if (key !== undefined && !keys.has(id)) {
        keys.set(id, key);
        kept.add(key);
      }
    }
    const free = [...previous.values()].filter((key) => !kept.has(key));
    let reused = 0;
    for (const id of ids) if (!keys.has(id)) keys.set(id, free[reused++] ?? this.#next++);
    this.#keys = keys;
    return (id) => keys.get(id) ?? -1;
  }
}
