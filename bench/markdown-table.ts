/**
 * A Markdown table padded to line up in a terminal, so the same text reads well on screen and can be
 * pasted into docs/benchmarks.md as it is.
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly number[] = [],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, 3, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${widths
      .map((width, column) => {
        const cell = cells[column] ?? '';
        return rightAligned.includes(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join(' | ')} |`;
  // A colon at the right end of a column's rule right-aligns it when the Markdown is rendered.
  const rule = `|${widths
    .map((width, column) =>
      rightAligned.includes(column) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2),
    )
    .join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
