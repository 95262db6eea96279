-- The concurrency map: runs the README's map block (GOLENS_PARAMS.block, as
-- extracted by the Go test) after starting golens, then :GolensMap at
-- GOLENS_PARAMS.cursor (text), :GolensMap package mermaid, :GolensMap svg, and
-- the "map" code lens through vim.lsp.codelens.refresh() and run().
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local P = lib.params
local R = lib.result

lib.run(function()
  lib.start()
  assert(load(P.block))()
  local win = vim.api.nvim_get_current_win()
  local function map_lines(command)
    vim.api.nvim_set_current_win(win)
    -- 0.7's cursor is (1-based line, byte column).
    vim.api.nvim_win_set_cursor(win, { P.cursor.line + 1, P.cursor.character })
    vim.cmd(command)
    local buf = vim.api.nvim_get_current_buf()
    if buf == lib.bufnr then return {} end
    local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
    vim.cmd('close')
    return lines
  end
  R.text = map_lines('GolensMap')
  R.mermaid = map_lines('GolensMap package mermaid')
  map_lines('GolensMap svg')
  for _, n in ipairs(R.notifications) do
    local file = n.message:match('^golens map: (.*%.svg)$')
    if file then R.svg_head = table.concat(vim.fn.readfile(file, '', 3), '\n') end
  end
  lib.step('commands')

  -- The code lens, as a user runs it.
  vim.api.nvim_set_current_win(win)
  vim.lsp.codelens.refresh()
  R.lenses_shown = vim.wait(5000, function() return #vim.lsp.codelens.get(lib.bufnr) > 0 end, 20)
  R.lenses = vim.tbl_map(function(l) return { line = l.range.start.line, title = l.command and l.command.title } end,
    vim.lsp.codelens.get(lib.bufnr))
  if R.lenses_shown then
    vim.api.nvim_win_set_cursor(win, { P.lens_line + 1, 0 })
    vim.lsp.codelens.run()
    vim.wait(3000, function() return vim.api.nvim_get_current_buf() ~= lib.bufnr end, 20)
    if vim.api.nvim_get_current_buf() ~= lib.bufnr then
      R.lens_map = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    end
  end
  lib.step('lens')
end)
