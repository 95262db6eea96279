-- Incremental sync. Edit the buffer the ways a user does — typed text with
-- characters outside the BMP, deleted lines, :join, x on a multi-byte
-- character, undo — each sent by Neovim 0.7 as incremental didChange
-- (UTF-16 ranges), then ask golens about constructs at their new places.
-- GOLENS_PARAMS = {probes = [{name, find}]}: for each, the first buffer
-- occurrence of `find` is hovered and the buffer text under the range
-- golens answers is recorded; the unclosedrange diagnostic's line text too.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local R = lib.result

local function find(text)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(lib.bufnr, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then
      return i - 1, col - 1, line
    end
  end
end

-- the buffer text of an LSP (UTF-16) range on one line.
local function text_at(range)
  local line = vim.api.nvim_buf_get_lines(lib.bufnr, range.start.line, range.start.line + 1, false)[1] or ''
  local s = vim.str_byteindex(line, range.start.character, true)
  local e = range['end'].line == range.start.line and vim.str_byteindex(line, range['end'].character, true) or #line
  return line:sub(s + 1, e)
end

lib.run(function()
  lib.start()
  local b = lib.bufnr
  vim.wait(10000, function() return #lib.golens_diags('unclosedrange') > 0 end, 20)

  -- 1. A comment line with 🚀 and é above func main.
  local l = find('func main')
  vim.api.nvim_buf_set_lines(b, l, l, false, { '// 🚀 héllo wörld 🚀' })
  -- 2. Typed inside a line, before `go`.
  local gl, gc = find('go func')
  vim.api.nvim_buf_set_text(b, gl, gc, gl, gc, { '/* ü🚀 */ ' })
  -- 3. A line deleted (the blank line after the imports).
  local il = find('import "fmt"')
  vim.api.nvim_buf_set_lines(b, il + 1, il + 2, false, {})
  -- 4. Two lines inserted then joined with :join.
  local dl = find('defer fmt.Println("b")')
  vim.api.nvim_buf_set_lines(b, dl + 1, dl + 1, false, { '\tx := "ñ🚀" +', '\t\t"!"', '\t_ = x' })
  vim.api.nvim_win_set_cursor(0, { dl + 2, 0 })
  vim.cmd('join')
  -- 5. x on a multi-byte character (the ñ), in normal mode.
  local xl, xc = find('ñ')
  vim.api.nvim_win_set_cursor(0, { xl + 1, xc })
  vim.cmd('normal! x')
  -- 6. A line typed with two edits, one undone.
  -- (:let &ul = &ul closes an undo block: a script has no typing pauses.)
  local rl = find('for w := range ch')
  vim.cmd('let &undolevels = &undolevels')
  vim.api.nvim_buf_set_lines(b, rl, rl, false, { '\t// 🚀🚀 temp' })
  vim.cmd('let &undolevels = &undolevels')
  vim.api.nvim_buf_set_text(b, rl, 12, rl, 12, { 'orary' })
  vim.cmd('undo')
  vim.cmd('undo')
  lib.step('edits')
  R.text = lib.text()

  -- The probes.
  R.probes = {}
  for _, p in ipairs(lib.params.probes) do
    local pl, pc, line = find(p.find)
    local rec = { name = p.name, found = pl ~= nil }
    if pl then
      local _, utf16 = vim.str_utfindex(line, pc) -- 0.7 returns UTF-32, UTF-16
      rec.position = { line = pl, character = utf16 }
      local result, err = lib.request('textDocument/hover', { textDocument = { uri = lib.uri }, position = rec.position })
      rec.error = err
      if result then
        rec.value = result.contents and result.contents.value
        rec.range = result.range
        if result.range then rec.text = text_at(result.range) end
      end
    end
    table.insert(R.probes, rec)
  end

  -- The diagnostic follows its loop.
  local want = find('for w := range ch')
  R.diag_on_line = vim.wait(5000, function()
    local d = lib.golens_diags('unclosedrange')[1]
    return d ~= nil and d.range.start.line == want
  end, 20)
  local d = lib.golens_diags('unclosedrange')[1]
  if d then
    R.diag_text = text_at(d.range)
    R.diag_line = d.range.start.line
  end
  R.want_diag_line = want
  lib.step('probes')
end)
