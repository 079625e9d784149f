// Markdown → HTML for the texts the engine writes: hovers (statute references, cells, rows,
// headings) and `explain` (codes and statute items). Only the subset they use — ATX headings,
// paragraphs, `>` quotes, `-` lists, pipe tables, indented code, `**bold**` and `` `code` `` — and
// safe by construction: every character of the source is escaped, and the only tags written are
// the fixed ones below. (A general library such as marked, with a sanitiser, would cost about
// 30 KB gzipped of the page's 400 KB budget; hover texts quote the report, so escaping matters.)

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `text` with `& < > " '` escaped for HTML. */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Inline Markdown: `code` spans first (their content is literal), then **bold**. */
export function inline(text) {
  let html = "";
  const parts = text.split(/(`[^`]*`)/);
  for (const part of parts) {
    if (part.length >= 2 && part.startsWith("`") && part.endsWith("`")) {
      html += `<code>${escapeHtml(part.slice(1, -1))}</code>`;
    } else {
      html += escapeHtml(part).replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>");
    }
  }
  return html;
}

function tableRow(line) {
  let cells = line.trim();
  if (cells.startsWith("|")) cells = cells.slice(1);
  if (cells.endsWith("|")) cells = cells.slice(0, -1);
  return cells.split("|").map((c) => c.trim());
}

const isDelimiterRow = (line) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

/** Block-level Markdown to HTML. */
export function renderMarkdown(source) {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const out = [];
  let i = 0;
  const blank = (l) => l.trim() === "";
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      out.push(`<h${level}>${inline(heading[2].trim())}</h${level}>`);
      i++;
      continue;
    }
    if (/^ {4}/.test(line)) {
      const code = [];
      while (i < lines.length && (/^ {4}/.test(lines[i]) || (blank(lines[i]) && /^ {4}/.test(lines[i + 1] ?? "")))) {
        code.push(lines[i].slice(4));
        i++;
      }
      out.push(`<pre><code>${escapeHtml(code.join("\n"))}</code></pre>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) {
        quoted.push(lines[i].replace(/^\s*> ?/, ""));
        i++;
      }
      out.push(`<blockquote>${renderMarkdown(quoted.join("\n"))}</blockquote>`);
      continue;
    }
    if (/^\s*[-*] /.test(line)) {
      const items = [];
      while (i < lines.length && /^\s*[-*] /.test(lines[i])) {
        items.push(`<li>${inline(lines[i].replace(/^\s*[-*] /, ""))}</li>`);
        i++;
      }
      out.push(`<ul>${items.join("")}</ul>`);
      continue;
    }
    if (line.trim().startsWith("|")) {
      const rows = [];
      while (i < lines.length && lines[i].trim().startsWith("|")) {
        rows.push(lines[i]);
        i++;
      }
      const head = rows.length > 1 && isDelimiterRow(rows[1]);
      const body = head ? rows.slice(2) : rows;
      let html = "<table>";
      if (head) {
        html += `<thead><tr>${tableRow(rows[0]).map((c) => `<th>${inline(c)}</th>`).join("")}</tr></thead>`;
      }
      html += `<tbody>${body
        .filter((r) => !isDelimiterRow(r))
        .map((r) => `<tr>${tableRow(r).map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`;
      out.push(html);
      continue;
    }
    const paragraph = [];
    while (
      i < lines.length &&
      !blank(lines[i]) &&
      !/^(#{1,6})\s/.test(lines[i]) &&
      !/^\s*>/.test(lines[i]) &&
      !/^\s*[-*] /.test(lines[i]) &&
      !lines[i].trim().startsWith("|")
    ) {
      paragraph.push(inline(lines[i].trim()));
      i++;
    }
    out.push(`<p>${paragraph.join("<br>")}</p>`);
  }
  return out.join("");
}
