-- Hover: GOLENS_PARAMS = {cases = [{name, line, character}], explain?}
-- (positions 0-based, UTF-16). Records each answer's markdown (or null),
-- and the golens.explainAt command's answer at the position `explain`.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')

lib.run(function()
  lib.start()
  lib.result.hovers = {}
  for _, c in ipairs(lib.params.cases) do
    local result, err = lib.request('textDocument/hover', {
      textDocument = { uri = lib.uri },
      position = { line = c.line, character = c.character },
    })
    local h = { name = c.name, error = err, null = (result == nil) }
    if result then
      local contents = result.contents
      if type(contents) == 'table' and contents.value then
        h.kind = contents.kind
        h.value = contents.value
      else
        h.raw = contents
      end
      h.range = result.range
    end
    table.insert(lib.result.hovers, h)
  end
  lib.step('hovers')

  -- golens.explainAt: the long explanation an editor command shows.
  if lib.params.explain then
    local result, err = lib.request('workspace/executeCommand', {
      command = 'golens.explainAt',
      arguments = { { textDocument = { uri = lib.uri }, position = lib.params.explain } },
    })
    lib.result.explain = { error = err, value = result, null = result == nil }
  end
end)
