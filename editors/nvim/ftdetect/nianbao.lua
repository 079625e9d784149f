-- Filetype `nianbao`: extension .nianbao; .txt / .md whose name contains 年度报告 or 年报; other
-- .txt / .md with 政府信息公开工作年度报告 in their first lines (lua/nianbao/init.lua, M.filetype).
if vim.fn.has('nvim-0.11') == 1 then
  require('nianbao').filetype()
end
