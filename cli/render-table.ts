import { visibleWidth } from "./terminal.js";

/** One column of a {@link renderTable} table. */
export interface TableColumn {
  readonly header: string;
  /** @default "left" */
  readonly align?: "left" | "right";
}

function pad(text: string, width: number, align: "left" | "right"): string {
  const fill = " ".repeat(Math.max(0, width - visibleWidth(text)));
  return align === "right" ? fill + text : text + fill;
}

/**
 * Renders rows as a plain-text table with a header and a rule, columns separated by two spaces and
 * sized to their widest cell (colour codes do not count). Trailing spaces are trimmed.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  decorateHeader: (text: string) => string = (text) => text,
): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ""))),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, i) => pad(cells[i] ?? "", widths[i] ?? 0, column.align ?? "left"))
      .join("  ")
      .trimEnd();
  const header = decorateHeader(line(columns.map((column) => column.header)));
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [header, rule, ...rows.map(line)].join("\n");
}
