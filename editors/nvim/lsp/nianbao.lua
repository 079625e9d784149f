-- The nianbao language server, for `vim.lsp.enable('nianbao')` (Neovim ≥ 0.11).
-- Override anything with `vim.lsp.config('nianbao', { ... })`, e.g.
--   vim.lsp.config('nianbao', { settings = { nianbao = { template = '2021', severity = { ['number-format'] = 'off' } } } })
local path = require('nianbao').server_path()

---@type vim.lsp.Config
return {
  cmd = { path or 'nianbao', 'lsp', '--stdio' },
  filetypes = { 'nianbao' },
  root_markers = { '.git' },
  -- Sent on start (initializationOptions, didChangeConfiguration) and on request
  -- (workspace/configuration, section `nianbao`).
  settings = {
    nianbao = {
      template = 'auto',
      severity = vim.empty_dict(),
    },
  },
  before_init = function(params, config)
    params.initializationOptions = (config.settings or {}).nianbao
  end,
}
