-- nianbao: user commands (filetype detection is in ftdetect/). The language server is enabled by the user with
-- `vim.lsp.enable('nianbao')` (config in lsp/nianbao.lua).
if vim.g.loaded_nianbao then
  return
end
vim.g.loaded_nianbao = true

if vim.fn.has('nvim-0.11') == 0 then
  vim.notify('nianbao.nvim 需要 Neovim 0.11 或更新版本 / needs Neovim ≥ 0.11', vim.log.levels.WARN)
  return
end

local nianbao = require('nianbao')
-- Filetype detection is in ftdetect/nianbao.lua (sourced by `:filetype on`, also for lazy-loaded plugins).

vim.api.nvim_create_user_command('NianbaoFixAll', function()
  nianbao.fix_all(0)
end, { desc = 'nianbao: 修正全部可自动修正的问题 / apply all safe fixes' })

vim.api.nvim_create_user_command('NianbaoFormat', function()
  nianbao.format(0)
end, { desc = 'nianbao: 格式化 / format the report' })

vim.api.nvim_create_user_command('NianbaoCheck', function()
  vim.bo.filetype = 'nianbao'
end, { desc = 'nianbao: 将当前文件作为年报检查 / check this file as an annual report' })

vim.api.nvim_create_user_command('NianbaoBuild', function()
  nianbao.build()
end, { desc = 'nianbao: 编译 tree-sitter 解析器并安装查询 / compile the parsers and install the queries' })
