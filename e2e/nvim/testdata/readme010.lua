-- Runs the Neovim 0.10+ configuration from the top-level README.md as a
-- user's init.lua would (GOLENS_PARAMS.config is the block, extracted by the
-- Go test; `golens` is found on PATH), then uses it: open a Go file, see
-- inlay hints drawn by Neovim itself, press K on `go`, open a second file.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local P = lib.params
local R = lib.result

local function golens_clients(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'golens' })
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
  R.root_dir = lib.client.config.root_dir
  lib.step('attached')

  -- The LspAttach autocommand turned inlay hints on; Neovim asks golens.
  R.hints_enabled = vim.lsp.inlay_hint.is_enabled({ bufnr = lib.bufnr })
  R.hints = {}
  vim.wait(10000, function()
    local hs = vim.lsp.inlay_hint.get({ bufnr = lib.bufnr })
    if #hs == 0 then return false end
    for _, h in ipairs(hs) do
      local label = h.inlay_hint.label
      if type(label) == 'table' then
        local parts = {}
        for _, p in ipairs(label) do table.insert(parts, p.value) end
        label = table.concat(parts)
      end
      table.insert(R.hints, { line = h.inlay_hint.position.line, label = label })
    end
    return true
  end, 20)
  lib.step('hints')

  -- K on `go`: Neovim 0.10 maps K to vim.lsp.buf.hover itself.
  vim.api.nvim_win_set_cursor(0, { P.go_line + 1, P.go_col })
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
  lib.step('hover')

  -- A second file of the module: vim.lsp.start reuses the client.
  vim.cmd('edit ' .. vim.fn.fnameescape(P.other))
  local other = vim.api.nvim_get_current_buf()
  R.other_attached = vim.wait(5000, function() return #golens_clients(other) == 1 end, 10)
  R.same_client = R.other_attached and golens_clients(other)[1].id == lib.client.id
  R.client_count = #vim.lsp.get_clients({ name = 'golens' })
  lib.step('second file')
end)
