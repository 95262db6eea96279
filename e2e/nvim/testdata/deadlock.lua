-- A double lock through a call: wait for the typed tier's deadlock
-- diagnostic, then press K on the first Lock and read the float Neovim
-- opens, K on the Lock of a correct function, and (Neovim 0.10+) let
-- Neovim fetch golens's inlay hints for drawing and read them.
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
  local _, bufnr = lib.start()
  R.diagnostic = vim.wait(60000, function() return #lib.golens_diags('deadlock') > 0 end, 20)
  lib.step('deadlock diagnostic')

  R.hover_lines = hover_at(P.lock_line, P.lock_col)
  lib.step('hover on the first Lock')
  R.call_hover_lines = hover_at(P.call_line, P.call_col)
  lib.step('hover on the call')
  R.right_hover_lines = hover_at(P.right_line, P.right_col)
  lib.step('hover on a correct Lock')

  if vim.lsp.inlay_hint and vim.lsp.inlay_hint.get then
    -- Neovim 0.10 fetches the hints itself once enabled and keeps them for
    -- its decoration provider (which only runs with a UI attached, so a
    -- headless run reads what it holds to draw).
    vim.lsp.inlay_hint.enable(true, { bufnr = bufnr })
    vim.wait(10000, function()
      R.drawn = {}
      for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = bufnr })) do
        local label = h.inlay_hint.label
        if type(label) == 'table' then
          local parts = {}
          for _, p in ipairs(label) do table.insert(parts, p.value) end
          label = table.concat(parts)
        end
        local tip = h.inlay_hint.tooltip
        if type(tip) == 'table' then tip = tip.value end
        table.insert(R.drawn, { line = h.inlay_hint.position.line, text = label, tooltip = tip })
      end
      for _, d in ipairs(R.drawn) do
        if d.text:find('deadlock', 1, true) then return true end
      end
      return false
    end, 20)
    lib.step('hints fetched')
  end
end)
