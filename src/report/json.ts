/** JSON report (schemaVersion 1; schema in schema/report.schema.json). */
import type { Report } from '../model/finding.js';

export function renderJson(r: Report): string {
  return JSON.stringify(r, null, 2) + '\n';
}
