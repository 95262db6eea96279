-- Inlay hints: one textDocument/inlayHint request for the whole file.
-- Neovim 0.7 neither advertises nor renders inlay hints, but request_sync
-- sends any method; the record holds the raw hints.
-- GOLENS_PARAMS = {init_options?, partial?}: partial is a range to ask
-- for as well.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')

lib.run(function()
  -- GOLENS_PARAMS.init_options, if given, goes to start_client as is; the
  -- string "{}" stands for a literal empty Lua table, which Neovim sends as
  -- [] (a decoded JSON {} would keep its dict type and go out as {}).
  local init = lib.params.init_options
  if init == '{}' then init = {} end
  lib.start({ init_options = init })
  local n = vim.api.nvim_buf_line_count(lib.bufnr)
  local result, err = lib.request('textDocument/inlayHint', {
    textDocument = { uri = lib.uri },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = n, character = 0 } },
  })
  lib.result.error = err
  lib.result.null = (result == nil)
  lib.result.hints = result or {}
  lib.step('inlayHint')

  -- A part of the file, as an editor asks for the visible lines.
  if lib.params.partial then
    local part, perr = lib.request('textDocument/inlayHint', {
      textDocument = { uri = lib.uri },
      range = lib.params.partial,
    })
    lib.result.partial = { error = perr, hints = part or {} }
  end
end)
