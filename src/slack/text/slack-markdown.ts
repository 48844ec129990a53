/**
 * Claude writes GitHub-flavoured Markdown; Slack's `markdown` block renders most of it but not
 * tables, horizontal rules, task lists or fences with a language, which then show as raw
 * syntax. https://docs.slack.dev/reference/block-kit/blocks/markdown-block
 */

const FENCE = /^(\s{0,3})(`{3,}|~{3,})(.*)$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const TASK = /^(\s*[-*+]\s+)\[([ xX])\]\s+/;

/** The cells of a pipe-table row (an escaped `\|` stays inside its cell). */
export function tableCells(row: string): string[] {
  const trimmed = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

const isTableRow = (line: string | undefined) => line?.includes('|') === true;

/** One bullet per row: the first cell in bold, then the others labelled with their header. */
function tableAsList(header: string[], rows: string[][]): string[] {
  return rows.map((cells) => {
    const [first = '', ...others] = cells;
    const label = first && !first.includes('**') ? `**${first}**` : first;
    const rest = others
      .map((cell, i) => ({ cell, name: header[i + 1] ?? '' }))
      .filter(({ cell }) => cell !== '')
      .map(({ cell, name }) => (header.length > 2 && name ? `${name}: ${cell}` : cell));
    if (!label) return `- ${rest.join(' · ')}`;
    return rest.length ? `- ${label} — ${rest.join(' · ')}` : `- ${label}`;
  });
}

/** Rewrites the Markdown Slack's markdown block cannot show into Markdown it can. */
export function toSlackMarkdown(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const opening = FENCE.exec(line);
    if (fence) {
      const closes = opening && opening[2]![0] === fence.char && opening[2]!.length >= fence.length;
      if (closes && opening[3]!.trim() === '') {
        fence = undefined;
        out.push(`${opening[1]}\`\`\``);
      } else out.push(line);
      continue;
    }
    if (opening) {
      // The language tag would show as a line of text; Slack highlights nothing anyway.
      fence = { char: opening[2]![0]!, length: opening[2]!.length };
      out.push(`${opening[1]}\`\`\``);
      continue;
    }
    if (isTableRow(line) && TABLE_DELIMITER.test(lines[i + 1] ?? '') && isTableRow(lines[i + 1])) {
      const header = tableCells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && isTableRow(lines[i]) && lines[i]!.trim() !== '') {
        rows.push(tableCells(lines[i]!));
        i += 1;
      }
      i -= 1;
      out.push(...tableAsList(header, rows));
      continue;
    }
    if (RULE.test(line)) {
      const previous = out.at(-1)?.trim() ?? '';
      // `Title` over `---` is a heading (setext), not a rule.
      if (previous && /^\s*-+\s*$/.test(line) && !/^[-*+>#|]/.test(previous)) {
        out[out.length - 1] = `## ${previous}`;
      } else out.push('');
      continue;
    }
    out.push(
      line.replace(
        TASK,
        (_m, bullet: string, mark: string) => `${bullet}${mark === ' ' ? '☐' : '☑'} `,
      ),
    );
  }
  if (fence) out.push('```');
  return out.join('\n');
}
