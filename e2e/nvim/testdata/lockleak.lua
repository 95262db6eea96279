-- A lock left held on an early return: wait for the lockleak diagnostic,
-- then press K on the Lock, on the Unlock the early return skips, and on
-- the Lock of a correct function, and read the floats Neovim opens.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local P = lib.params
local R = lib.result

local function float_lines()
  local float
  vim.wait(5000, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then float = w return true end
    end
    return false
  end, 10)
  if not float then return nil end
  local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false)
  vim.api.nvim_win_close(float, true)
  return lines
end

local function hover_at(line, col)
  vim.api.nvim_win_set_cursor(0, { line + 1, col })
  vim.lsp.buf.hover()
  return float_lines()
end

lib.run(function()
  lib.start()
  R.diagnostic = vim.wait(60000, function() return #lib.golens_diags('lockleak') > 0 end, 20)
  R.messages = {}
  for _, d in ipairs(lib.golens_diags('lockleak')) do table.insert(R.messages, d.message) end
  lib.step('lockleak diagnostic')
  R.lock_hover = hover_at(P.lock_line, P.lock_col)
  lib.step('hover on the Lock')
  R.unlock_hover = hover_at(P.unlock_line, P.unlock_col)
  lib.step('hover on the skipped Unlock')
  R.right_hover = hover_at(P.right_line, P.right_col)
  lib.step('hover on a correct Lock')
end)
