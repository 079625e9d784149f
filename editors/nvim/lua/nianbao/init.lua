-- nianbao for Neovim ≥ 0.11: filetype detection, the `nianbao` language server config
-- (lsp/nianbao.lua), tree-sitter highlighting and folding from the project's grammar, fix-all and
-- format-on-save. See editors/nvim/README.md.

local M = {}

local uv = vim.uv or vim.loop

--- The directory of this plugin (editors/nvim).
M.root = vim.fs.dirname(vim.fs.dirname(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2))))

M.install_hint = '安装服务器：在 nianbao 仓库中运行 `cargo install --path server`，或设置 vim.g.nianbao_server_path。'
  .. ' / Install the server with `cargo install --path server` in the nianbao repository, or set vim.g.nianbao_server_path.'

M.title_marker = '政府信息公开工作年度报告'

local function executable(path)
  return path ~= nil and path ~= '' and vim.fn.executable(path) == 1
end

--- The server executable: vim.g.nianbao_server_path, else `nianbao` on PATH, else the release
--- build of the repository this plugin lives in (target/release/nianbao). nil when none exists.
--- @return string? path
--- @return string? error message
function M.server_path()
  local setting = vim.g.nianbao_server_path
  if setting ~= nil and setting ~= '' then
    local path = vim.fn.expand(setting)
    if executable(path) then
      return path
    end
    return nil,
      ('vim.g.nianbao_server_path 指向的“%s”不存在或不可执行。/ vim.g.nianbao_server_path points at "%s", which does not exist or is not executable.'):format(
        path,
        path
      )
  end
  if executable('nianbao') then
    return vim.fn.exepath('nianbao')
  end
  local repo_build = vim.fs.joinpath(M.root, '..', '..', 'target', 'release', 'nianbao')
  if executable(repo_build) then
    return vim.fs.normalize(vim.fn.fnamemodify(repo_build, ':p'))
  end
  return nil, '找不到 nianbao 语言服务器（PATH 上没有 nianbao）。/ The nianbao language server was not found (no nianbao on PATH). ' .. M.install_hint
end

--- Whether the first lines of a buffer hold the report title marker.
--- @param bufnr integer?
--- @return boolean
function M.looks_like_report(bufnr)
  if not bufnr or not vim.api.nvim_buf_is_valid(bufnr) then
    return false
  end
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, 15, false)) do
    if line:find(M.title_marker, 1, true) then
      return true
    end
  end
  return false
end

--- Registers the filetype: extension `nianbao`; `.txt` / `.md` whose name contains 年度报告 or
--- 年报; other `.txt` / `.md` whose first lines hold 政府信息公开工作年度报告.
function M.filetype()
  local function by_content(default)
    return function(_, bufnr)
      if M.looks_like_report(bufnr) then
        return 'nianbao'
      end
      return default
    end
  end
  vim.filetype.add({
    extension = {
      nianbao = 'nianbao',
      txt = by_content('text'),
      md = by_content('markdown'),
    },
    pattern = {
      ['.*年度报告.*%.txt'] = { 'nianbao', { priority = 10 } },
      ['.*年度报告.*%.md'] = { 'nianbao', { priority = 10 } },
      ['.*年报.*%.txt'] = { 'nianbao', { priority = 10 } },
      ['.*年报.*%.md'] = { 'nianbao', { priority = 10 } },
    },
  })
end

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'nianbao' })[1]
end

--- Applies `source.fixAll.nianbao` to the buffer, synchronously (usable in BufWritePre).
--- @param bufnr integer?
--- @param timeout_ms integer?
--- @return boolean applied
function M.fix_all(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  timeout_ms = timeout_ms or 3000
  local client = client_for(bufnr)
  if not client then
    vim.notify('nianbao：此缓冲区没有连接语言服务器 / no nianbao server is attached to this buffer', vim.log.levels.WARN)
    return false
  end
  local last = math.max(vim.api.nvim_buf_line_count(bufnr) - 1, 0)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } },
    context = { only = { 'source.fixAll.nianbao' }, diagnostics = {}, triggerKind = 1 },
  }
  local response = client:request_sync('textDocument/codeAction', params, timeout_ms, bufnr)
  if not response or response.err then
    vim.notify('nianbao：修正全部失败 / fix-all failed: ' .. vim.inspect(response and response.err), vim.log.levels.ERROR)
    return false
  end
  for _, action in ipairs(response.result or {}) do
    if action.kind == 'source.fixAll.nianbao' then
      if not action.edit and action.data ~= nil then
        local resolved = client:request_sync('codeAction/resolve', action, timeout_ms, bufnr)
        if resolved and resolved.result then
          action = resolved.result
        end
      end
      if action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        return true
      end
    end
  end
  return false
end

--- Formats the buffer with the nianbao server, synchronously.
--- @param bufnr integer?
function M.format(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  vim.lsp.buf.format({ bufnr = bufnr, name = 'nianbao', async = false, timeout_ms = 3000 })
end

--- Compiles the parsers (block and inline grammars) and installs the queries (runs build.sh); `on_done(ok, output)`.
function M.build(on_done)
  local script = vim.fs.joinpath(M.root, 'build.sh')
  vim.system({ 'bash', script }, { text = true }, function(out)
    vim.schedule(function()
      local ok = out.code == 0
      local text = (out.stdout or '') .. (out.stderr or '')
      if on_done then
        on_done(ok, text)
      else
        vim.notify(text, ok and vim.log.levels.INFO or vim.log.levels.ERROR)
      end
    end)
  end)
end

M.options = { format_on_save = false, fix_all_on_save = false }

local save_group = vim.api.nvim_create_augroup('nianbao_save', { clear = true })

--- Optional: `require('nianbao').setup({ format_on_save = true, fix_all_on_save = false })`.
--- Both act only on buffers the nianbao server is attached to.
function M.setup(opts)
  M.options = vim.tbl_extend('force', M.options, opts or {})
  vim.api.nvim_clear_autocmds({ group = save_group })
  vim.api.nvim_create_autocmd('BufWritePre', {
    group = save_group,
    callback = function(args)
      if vim.bo[args.buf].filetype ~= 'nianbao' or not client_for(args.buf) then
        return
      end
      if M.options.fix_all_on_save then
        M.fix_all(args.buf)
      end
      if M.options.format_on_save then
        M.format(args.buf)
      end
    end,
  })
end

return M
