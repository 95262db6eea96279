-- Lifecycle: start golens, hover once, then stop it the way :LspStop does
-- (shutdown request, exit notification; GOLENS_PARAMS.graceful_stop) and
-- record whether and how the process ended.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')

lib.run(function()
  lib.start()
  local result, err = lib.request('textDocument/hover', {
    textDocument = { uri = lib.uri },
    position = { line = 0, character = 0 },
  })
  lib.result.hover_error = err
end)
