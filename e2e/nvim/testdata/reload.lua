-- Reload and save. With a file golens reports (unclosedrange), fix it in the
-- buffer, then `:e!`, fix it again and `:w` (didSave), `:e!` again, and
-- finally type below the fix. In 0.7 `:e!` unloads the buffer, which
-- detaches the client (didClose); the FileType autocommand that every
-- configuration uses (README.md, nvim-lspconfig) attaches it again
-- (didOpen with version 0, while later didChange versions continue from
-- the buffer's changedtick). After each step the record holds whether
-- the diagnostic is there once golens has answered, and a hover on `go`.
-- GOLENS_PARAMS = {fix_line, fix_text}: where the fix goes (0-based line
-- to insert before) and what it is.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local P = lib.params
local R = lib.result

-- wait_for waits until the diagnostic's presence is `want`.
local function wait_for(want)
  return vim.wait(10000, function() return (#lib.golens_diags('unclosedrange') > 0) == want end, 20)
end

local function hover_go()
  for i, line in ipairs(vim.api.nvim_buf_get_lines(lib.bufnr, 0, -1, false)) do
    local col = line:find('go func', 1, true)
    if col then
      local _, c16 = vim.str_utfindex(line, col - 1)
      local result, err = lib.request('textDocument/hover', {
        textDocument = { uri = lib.uri }, position = { line = i - 1, character = c16 },
      })
      return { error = err, value = result and result.contents and result.contents.value or nil }
    end
  end
  return { error = 'no go statement in the buffer' }
end

local function check(name, want)
  local ok = wait_for(want)
  table.insert(R.checks, {
    name = name, want_diagnostic = want, as_wanted = ok,
    diagnostic = #lib.golens_diags('unclosedrange') > 0,
    hover = hover_go(), modified = vim.bo.modified,
    attached = #vim.lsp.buf_get_clients(lib.bufnr),
  })
  lib.step(name)
end

local function fix()
  vim.api.nvim_buf_set_lines(lib.bufnr, P.fix_line, P.fix_line, false, { P.fix_text })
end

lib.run(function()
  R.checks = {}
  lib.start()
  R.reattached = 0
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'go',
    callback = function(args)
      R.reattached = R.reattached + 1
      vim.lsp.buf_attach_client(args.buf, lib.client.id)
    end,
  })
  check('opened', true)
  fix()
  check('fixed in the buffer', false)
  vim.cmd('edit!')
  check('after :e! (back to the file on disk)', true)
  fix()
  vim.cmd('write')
  check('fixed and written', false)
  vim.cmd('edit!')
  check('after :e! of the written fix', false)
  vim.api.nvim_buf_set_lines(lib.bufnr, P.fix_line + 1, P.fix_line + 1, false, { '\t\t// typed after the reload' })
  check('typed after the reload', false)
  R.text = lib.text()
end)
