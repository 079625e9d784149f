// The page's Markdown renderer (web/src/markdown.js): the constructs the engine's hover and
// explain texts use, and that nothing in the source can become markup.
//
//   node --test web/test/unit/

import { test } from "node:test";
import assert from "node:assert/strict";

import { escapeHtml, inline, renderMarkdown } from "../../src/markdown.js";

test("headings, paragraphs, bold and code", () => {
  assert.equal(
    renderMarkdown("### 《条例》第二十条\n\n**第二十条全文**\n写作 `减47`，规范写法为 `-47`。"),
    "<h3>《条例》第二十条</h3><p><strong>第二十条全文</strong><br>写作 <code>减47</code>，规范写法为 <code>-47</code>。</p>",
  );
});

test("quotes with blank quoted lines, and lists", () => {
  assert.equal(
    renderMarkdown("> 行政机关应当：\n>\n> （一）行政法规；\n\n- 表二 第二十条第（五）项\n- 表三"),
    "<blockquote><p>行政机关应当：</p><p>（一）行政法规；</p></blockquote>" +
      "<ul><li>表二 第二十条第（五）项</li><li>表三</li></ul>",
  );
});

test("tables, with and without a header", () => {
  assert.equal(
    renderMarkdown("| 项 | 值 |\n|---|---|\n| 结果维持 | 72 |\n| 合计 | **351** |"),
    "<table><thead><tr><th>项</th><th>值</th></tr></thead><tbody>" +
      "<tr><td>结果维持</td><td>72</td></tr><tr><td>合计</td><td><strong>351</strong></td></tr></tbody></table>",
  );
  assert.equal(renderMarkdown("| a | b |"), "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>");
});

test("indented code keeps its lines and its TABs", () => {
  assert.equal(
    renderMarkdown("## 示例\n\n    表四：\n    10\t1\t0\n\n## 修复"),
    "<h2>示例</h2><pre><code>表四：\n10\t1\t0</code></pre><h2>修复</h2>",
  );
});

test("nothing in the source becomes markup", () => {
  const hostile = '<img src=x onerror="alert(1)"> & <script>x</script> `<b>` **<i>**';
  const html = renderMarkdown(hostile);
  assert.ok(!/<(img|script|b|i)[\s>]/.test(html), html);
  assert.equal(
    html,
    "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;x&lt;/script&gt; " +
      "<code>&lt;b&gt;</code> <strong>&lt;i&gt;</strong></p>",
  );
  assert.equal(escapeHtml(`'"&<>`), "&#39;&quot;&amp;&lt;&gt;");
  assert.equal(inline("[链接](javascript:alert(1))"), "[链接](javascript:alert(1))");
});
