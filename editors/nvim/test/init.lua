-- Minimal user config for the end-to-end test: this plugin on the runtimepath, the server enabled
-- as a user would (vim.lsp.enable), format on save on. The server binary comes from
-- $NIANBAO_SERVER when set.
local plugin = vim.fs.dirname(vim.fs.dirname(debug.getinfo(1, 'S').source:sub(2)))
vim.opt.runtimepath:prepend(plugin)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
if vim.env.NIANBAO_SERVER and vim.env.NIANBAO_SERVER ~= '' then
  vim.g.nianbao_server_path = vim.env.NIANBAO_SERVER
end
vim.lsp.enable('nianbao')
require('nianbao').setup({ format_on_save = true })
