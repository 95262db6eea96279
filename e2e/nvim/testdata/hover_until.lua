-- Hover until: GOLENS_PARAMS = {line, character, until}: asks for the hover
-- at the position every 200 ms, for up to 30 s, until its markdown contains
-- `until` (a fact of the typed tier, which arrives after go list); records
-- the first and the last answer.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')

lib.run(function()
  lib.start()
  local p = lib.params
  local function hover()
    local result, err = lib.request('textDocument/hover', {
      textDocument = { uri = lib.uri },
      position = { line = p.line, character = p.character },
    })
    if err then
      return nil, err
    end
    if result and type(result.contents) == 'table' then
      return result.contents.value
    end
    return nil
  end
  lib.result.first = hover()
  lib.step('first hover')
  lib.result.found = vim.wait(30000, function()
    local v, err = hover()
    lib.result.last, lib.result.error = v, err
    return v ~= nil and v:find(p['until'], 1, true) ~= nil
  end, 200)
  lib.step('typed hover')
end)
