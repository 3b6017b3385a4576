/** The CSV of events (`GET events.csv`): its header and rows, written by the one CSV writer in src/format/csv.ts. */
import { CSV_COLUMNS, type ConsumptionEvent } from '../../src/api/contract.js';
import { csvLine } from '../../src/format/csv.js';

export const CSV_HEADER = csvLine(CSV_COLUMNS);

export function csvRow(event: ConsumptionEvent): string {
  return csvLine(CSV_COLUMNS.map((column) => event[column]));
}
