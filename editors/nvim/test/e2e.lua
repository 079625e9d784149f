-- End-to-end test of the Neovim plugin in a real (headless) Neovim ≥ 0.11:
--
--   NIANBAO_SERVER=target/release/nianbao nvim --headless -u editors/nvim/test/init.lua \
--       -l editors/nvim/test/e2e.lua CORPUS_DIR WORK_DIR
--
-- Opens ../shared/corpus/real/004.txt with a planted wrong figure (table 3, （一）予以公开 · 自然人
-- 1288 → 1287: it breaks its row's 总计 and （七）总计 and is the one error) and its first table-2
-- block rewritten as a ragged `|` table (the same plant as the VS Code test,
-- editors/vscode/e2e/fixture.mjs), then checks: filetype detection, tree-sitter highlighting and
-- folding, the diagnostic on the right line, hover, the quick-fix, incremental edits,
-- :NianbaoFixAll, and format on save. Exits 0 when every check passes, 1 otherwise.

local corpus_dir = assert(arg[1], 'usage: e2e.lua CORPUS_DIR WORK_DIR')
local work = assert(arg[2], 'usage: e2e.lua CORPUS_DIR WORK_DIR')

local started = vim.uv.hrtime()
local function log(msg)
  io.stdout:write(('[nvim-e2e %.1fs] %s\n'):format((vim.uv.hrtime() - started) / 1e9, msg))
  io.stdout:flush()
end

local failures = 0
local function step(name, f)
  log(name .. ' …')
  local ok, err = xpcall(f, debug.traceback)
  if ok then
    log('ok: ' .. name)
  else
    failures = failures + 1
    log('FAILED: ' .. name .. ': ' .. tostring(err))
  end
end

local function wait(what, cond, timeout)
  local ok = vim.wait(timeout or 10000, cond, 50)
  if not ok then
    error('timed out waiting for ' .. what, 2)
  end
end

local function eq(expected, actual, what)
  if expected ~= actual then
    error(('%s: expected %s, got %s'):format(what, vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function read(path)
  local f = assert(io.open(path, 'rb'))
  local s = f:read('*a')
  f:close()
  return s
end

local function write(path, s)
  local f = assert(io.open(path, 'wb'))
  f:write(s)
  f:close()
end

-- ---------------------------------------------------------------- the fixture

local TABLE3_PREFIX = '三、本年度办理结果\t（一）予以公开\t\t'
local TABLE3_ROW = TABLE3_PREFIX .. '1288\t21\t0\t0\t50\t3\t1362'
local TABLE2_TAB = '信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t11\n行政规范性文件\t8\t26\t66\n'
local TABLE2_PIPE =
  '| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n|规章|1|0|11|\n| 行政规范性文件 |   8 | 26 | 66 |\n'

local function replace_once(text, from, to)
  local i, j = text:find(from, 1, true)
  assert(i and not text:find(from, j + 1, true), 'fixture: expected exactly one ' .. vim.inspect(from))
  return text:sub(1, i - 1) .. to .. text:sub(j + 1)
end

local function line_of(lines, prefix)
  for i, l in ipairs(lines) do
    if vim.startswith(l, prefix) then
      return i
    end
  end
  error('fixture: no line starts with ' .. prefix)
end

local corpus = read(vim.fs.joinpath(corpus_dir, '004.txt'))
local text = replace_once(corpus, TABLE3_ROW, TABLE3_PREFIX .. '1287\t21\t0\t0\t50\t3\t1362')
text = replace_once(text, TABLE2_TAB, TABLE2_PIPE)
local lines = vim.split(text, '\n', { plain = true })
local error_line = line_of(lines, TABLE3_PREFIX .. '1287') -- 1-based
local error_col = #TABLE3_PREFIX -- 0-based byte column of `1287` (vim.diagnostic counts bytes)
local statute_line = line_of(lines, '第二十条 第（一）项')
local table_line = line_of(lines, '| 信息内容')

vim.fn.mkdir(work, 'p')
local report = vim.fs.joinpath(work, '淮安市2024年政府信息公开工作年度报告.txt')
local draft = vim.fs.joinpath(work, 'draft.txt')
local notes = vim.fs.joinpath(work, 'notes.txt')
write(report, text)
write(draft, text)
write(notes, '会议记录\n第一项\n')

-- ---------------------------------------------------------------- the test

local buf

step('filetype detection', function()
  eq('nianbao', vim.filetype.match({ filename = '/x/report.nianbao' }), 'extension nianbao')
  eq('nianbao', vim.filetype.match({ filename = '/x/某局2023年度报告.md' }), '年度报告 in a .md name')
  eq('nianbao', vim.filetype.match({ filename = '/x/2023年报.txt' }), '年报 in a .txt name')
  eq('text', vim.filetype.match({ filename = '/x/readme.txt' }), 'other .txt by name alone')
  vim.cmd.edit(vim.fn.fnameescape(notes))
  eq('text', vim.bo.filetype, 'a .txt without the title marker')
  vim.cmd.edit(vim.fn.fnameescape(draft))
  eq('nianbao', vim.bo.filetype, 'draft.txt by its first lines (content detection)')
  vim.cmd.edit(vim.fn.fnameescape(report))
  eq('nianbao', vim.bo.filetype, 'the report by its name')
  buf = vim.api.nvim_get_current_buf()
end)

step('tree-sitter highlighting and folding attach', function()
  assert(vim.treesitter.highlighter.active[buf], 'no tree-sitter highlighter on the buffer')
  eq('nianbao', vim.treesitter.get_parser(buf):lang(), 'parser language')
  -- The highlighter parses on redraw, which a headless first run may not have had yet: parse
  -- now, so the captures below do not depend on timing.
  vim.treesitter.get_parser(buf):parse(true)
  local function captures(row, col)
    return vim.tbl_map(function(c)
      return c.capture
    end, vim.treesitter.get_captures_at_pos(buf, row, col))
  end
  local at_statute = captures(statute_line - 1, 0)
  assert(vim.tbl_contains(at_statute, 'constant'), 'statute reference captures: ' .. vim.inspect(at_statute))
  -- Inline tokens come from the inline grammar that queries/nianbao/injections.scm injects into
  -- each line (parser/nianbao_inline.so); the block grammar captures whole lines only.
  local inline_langs = vim.tbl_map(function(c)
    return c.lang
  end, vim.treesitter.get_captures_at_pos(buf, statute_line - 1, 0))
  assert(vim.tbl_contains(inline_langs, 'nianbao_inline'), 'statute reference languages: ' .. vim.inspect(inline_langs))
  local at_total = captures(error_line - 1, error_col)
  assert(vim.tbl_contains(at_total, 'number'), 'total cell captures: ' .. vim.inspect(at_total))
  local heading = line_of(lines, '一、总体情况')
  assert(vim.tbl_contains(captures(heading - 1, 0), 'markup.heading.2'), 'heading captures')
  eq('expr', vim.wo.foldmethod, 'foldmethod')
  -- Tree-sitter folds are computed after the parse, on the event loop: wait for them.
  vim.wait(5000, function()
    vim.cmd('normal! zx')
    return vim.fn.foldlevel(table_line) >= 2 and vim.fn.foldlevel(heading + 1) >= 1
  end, 50)
  assert(vim.fn.foldlevel(table_line) >= 2, 'table line fold level ' .. vim.fn.foldlevel(table_line))
  assert(vim.fn.foldlevel(heading + 1) >= 1, 'section fold level ' .. vim.fn.foldlevel(heading + 1))
end)

step('a missing server is reported with the fix', function()
  local saved = vim.g.nianbao_server_path
  vim.g.nianbao_server_path = '/nonexistent/nianbao'
  local path, err = require('nianbao').server_path()
  vim.g.nianbao_server_path = saved
  eq(nil, path, 'server path')
  assert(err:find('不存在或不可执行', 1, true) and err:find('does not exist', 1, true), err)
  assert(require('nianbao').install_hint:find('cargo install --path server', 1, true))
end)

local client
step('the nianbao server attaches (vim.lsp.enable)', function()
  wait('the client to initialize', function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'nianbao' })[1]
    return client ~= nil and client.initialized
  end)
  log('server: ' .. table.concat(client.config.cmd, ' ') .. ' (' .. (client.server_info or {}).version .. ')')
end)

local function sum_mismatches()
  return vim.tbl_filter(function(d)
    return d.code == 'sum-mismatch'
  end, vim.diagnostic.get(buf))
end

step('the wrong figure is the one error, on line ' .. error_line, function()
  wait('a sum-mismatch diagnostic', function()
    return #sum_mismatches() > 0
  end)
  local all = vim.diagnostic.get(buf)
  eq(1, #all, 'diagnostics: ' .. vim.inspect(all))
  local d = all[1]
  eq(error_line - 1, d.lnum, 'line')
  eq(error_col, d.col, 'column')
  eq(vim.diagnostic.severity.ERROR, d.severity, 'severity')
  assert(d.message:find('“（一）予以公开”的“自然人”应为 1288', 1, true), d.message)
end)

step('a settings change re-colours the diagnostic at once (no edit)', function()
  local function notify(severity)
    client.settings = { nianbao = { severity = severity } }
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  end
  notify({ ['sum-mismatch'] = 'hint' })
  wait('the diagnostic to become a hint', function()
    local d = sum_mismatches()[1]
    return d ~= nil and d.severity == vim.diagnostic.severity.HINT
  end)
  notify({})
  wait('the diagnostic to be an error again', function()
    local d = sum_mismatches()[1]
    return d ~= nil and d.severity == vim.diagnostic.severity.ERROR
  end)
end)

step('hover on a statute item shows its text', function()
  vim.api.nvim_win_set_cursor(0, { statute_line, 3 })
  vim.lsp.buf.hover()
  local float
  wait('the hover window', function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        float = win
        return true
      end
    end
    return false
  end, 5000)
  local shown = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), '\n')
  assert(shown:find('第二十条第（一）项', 1, true), 'hover title: ' .. shown:sub(1, 300))
  assert(shown:find('行政法规、规章和规范性文件', 1, true), 'hover text: ' .. shown:sub(1, 300))
  vim.api.nvim_win_close(float, true)
end)

step('the quick-fix sets the figure to 1288', function()
  vim.api.nvim_win_set_cursor(0, { error_line, error_col + 1 })
  vim.lsp.buf.code_action({
    filter = function(action)
      return action.title == '改为 1288'
    end,
    apply = true,
  })
  wait('the fix to land in the buffer', function()
    return vim.api.nvim_buf_get_lines(buf, error_line - 1, error_line, false)[1]:find('\t1288\t', 1, true) ~= nil
  end)
  wait('the diagnostic to go', function()
    return #vim.diagnostic.get(buf) == 0
  end)
end)

step('an edit plants a new error; :NianbaoFixAll fixes it', function()
  -- 2932 → 2931 in the （七）总计 row of table 3: its 总计 column no longer adds up.
  local row = line_of(lines, '\t（七）总计')
  local l = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
  local s = assert(l:find('2932', 1, true))
  vim.api.nvim_buf_set_text(buf, row - 1, s - 1, row - 1, s + 3, { '2931' })
  wait('diagnostics for the edit', function()
    return #vim.diagnostic.get(buf) > 0
  end)
  log('after the edit: ' .. table.concat(
    vim.tbl_map(function(d)
      return ('%d:%s'):format(d.lnum + 1, d.code)
    end, vim.diagnostic.get(buf)),
    ', '
  ))
  vim.cmd('NianbaoFixAll')
  wait('fix-all to clear the diagnostics', function()
    return #vim.diagnostic.get(buf) == 0
  end)
end)

step('saving formats the report: the | table is aligned', function()
  vim.cmd('write')
  local saved = read(report)
  assert(saved:find(TABLE3_PREFIX .. '1288\t', 1, true), 'the quick-fix is not in the saved file')
  local rows = {}
  for _, l in ipairs(vim.split(saved, '\n', { plain = true })) do
    if vim.startswith(l, '| 信息内容') or (#rows > 0 and #rows < 4 and vim.startswith(l, '|')) then
      rows[#rows + 1] = l
    end
  end
  eq(4, #rows, 'rows of the | table')
  local function pipes(l)
    local cols, pos = {}, 0
    for _, ch in ipairs(vim.fn.split(l, '\\zs')) do
      if ch == '|' then
        cols[#cols + 1] = pos
      end
      pos = pos + vim.fn.strdisplaywidth(ch)
    end
    return table.concat(cols, ',')
  end
  for i = 2, 4 do
    if pipes(rows[i]) ~= pipes(rows[1]) then
      error('not aligned:\n' .. table.concat(rows, '\n'))
    end
  end
  eq(0, #vim.diagnostic.get(buf), 'diagnostics after formatting')
end)

log(failures == 0 and 'PASS' or ('FAIL (%d failed)'):format(failures))
for _, c in ipairs(vim.lsp.get_clients()) do
  c:stop()
end
vim.wait(1000, function()
  return #vim.lsp.get_clients() == 0
end)
if failures == 0 then
  vim.cmd('qall!')
else
  vim.cmd('cquit! 1')
end
