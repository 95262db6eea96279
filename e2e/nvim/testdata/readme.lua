-- Runs the Neovim 0.7 configuration from README.md as a user's init.lua
-- would (GOLENS_PARAMS.config is the block, extracted by the Go test;
-- `golens` is found on PATH), then uses it: open two Go files of one
-- module, press K on `go`, run :GolensHints.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local P = lib.params
local R = lib.result

local function golens_clients(bufnr)
  local out = {}
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'golens' then table.insert(out, c) end
  end
  return out
end

lib.run(function()
  vim.cmd('filetype on') -- a normal startup does this after init.lua
  dofile(P.config)

  vim.cmd('edit ' .. vim.fn.fnameescape(lib.env.file))
  lib.bufnr = vim.api.nvim_get_current_buf()
  R.filetype = vim.bo.filetype
  R.attached = vim.wait(10000, function()
    local cs = golens_clients(lib.bufnr)
    return #cs == 1 and cs[1].initialized == true
  end, 10)
  if not R.attached then
    return
  end
  lib.client = golens_clients(lib.bufnr)[1]
  lib.step('attached')

  -- K on `go`: a floating window with the hover text.
  vim.api.nvim_win_set_cursor(0, { P.go_line + 1, P.go_col })
  local main_win = vim.api.nvim_get_current_win()
  vim.api.nvim_feedkeys('K', 'x', false)
  local float
  R.hover_float = vim.wait(5000, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then float = w return true end
    end
    return false
  end, 10)
  if float then
    R.hover_lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false)
    vim.api.nvim_win_close(float, true)
  end
  vim.api.nvim_set_current_win(main_win)
  lib.step('hover')

  -- :GolensHints
  vim.cmd('GolensHints')
  local ns = vim.api.nvim_create_namespace('golens_hints')
  R.hint_marks = {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(lib.bufnr, ns, 0, -1, { details = true })) do
    local text = {}
    for _, chunk in ipairs(m[4].virt_text or {}) do table.insert(text, chunk[1]) end
    table.insert(R.hint_marks, { line = m[2], text = table.concat(text) })
  end
  vim.cmd('GolensHints!')
  R.hint_marks_after_clear = #vim.api.nvim_buf_get_extmarks(lib.bufnr, ns, 0, -1, {})
  lib.step('hints')

  -- A second file of the same module shares the client.
  vim.cmd('edit ' .. vim.fn.fnameescape(P.other))
  local other = vim.api.nvim_get_current_buf()
  R.other_attached = vim.wait(5000, function() return #golens_clients(other) == 1 end, 10)
  R.same_client = R.other_attached and golens_clients(other)[1].id == lib.client.id
  R.client_count = #vim.tbl_filter(function(c) return c.name == 'golens' end, vim.lsp.get_active_clients())
  lib.step('second file')
end)
