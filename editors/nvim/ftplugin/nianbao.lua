-- Buffer settings for reports: comments, tree-sitter highlighting and folding, and a check that
-- the language server can start.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = true

local nianbao = require('nianbao')

vim.bo.commentstring = '<!-- %s -->'
vim.b.undo_ftplugin = 'setlocal commentstring<'

if not vim.g.nianbao_no_treesitter then
  local ok, err = pcall(vim.treesitter.start, 0, 'nianbao')
  if ok then
    vim.wo[0][0].foldmethod = 'expr'
    vim.wo[0][0].foldexpr = 'v:lua.vim.treesitter.foldexpr()'
    vim.wo[0][0].foldlevel = 99
  elseif not vim.g.nianbao_parser_warned then
    vim.g.nianbao_parser_warned = true
    vim.notify(
      'nianbao：未安装 tree-sitter 解析器，请运行 :NianbaoBuild / the tree-sitter parser is not installed: run :NianbaoBuild ('
        .. tostring(err)
        .. ')',
      vim.log.levels.WARN
    )
  end
end

-- vim.lsp.enable('nianbao') skips a server it cannot find without a word: say so, once.
if vim.lsp.is_enabled and vim.lsp.is_enabled('nianbao') and not vim.g.nianbao_server_warned then
  local path, err = nianbao.server_path()
  local cmd = vim.lsp.config.nianbao and vim.lsp.config.nianbao.cmd
  local custom = type(cmd) == 'table' and cmd[1] ~= path
  if not path and not (custom and vim.fn.executable(cmd[1]) == 1) then
    vim.g.nianbao_server_warned = true
    vim.notify(err, vim.log.levels.ERROR)
  end
end
