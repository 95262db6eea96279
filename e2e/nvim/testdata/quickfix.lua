-- Quick fix. GOLENS_PARAMS = {code, mode, diag_line?}: wait for a golens
-- diagnostic with that code (on line diag_line, 0-based, if given), get its quick fixes, apply the preferred one, and wait
-- for the diagnostic to go away.
--   mode "request": textDocument/codeAction with the diagnostic in
--                   context.diagnostics and only = {'quickfix'}; apply the
--                   edit with vim.lsp.util.apply_workspace_edit.
--   mode "ui":      what a user does: cursor on the diagnostic (or at
--                   the start of its line: cursor = "line start"), then
--                   vim.lsp.buf.code_action{only = {'quickfix'}}, with
--                   vim.ui.select answering for the user (0.7's own code
--                   picks the line diagnostics and resolves or applies).
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local code = lib.params.code
local R = lib.result

lib.run(function()
  lib.start()
  R.before = lib.text()

  -- 1. The diagnostic.
  local diag
  R.diagnostic_found = vim.wait(10000, function()
    for _, d in ipairs(lib.golens_diags(code)) do
      if lib.params.diag_line == nil or d.range.start.line == lib.params.diag_line then
        diag = d
        return true
      end
    end
    return false
  end, 20)
  lib.step('diagnostic')
  if not diag then
    return
  end
  R.diagnostic = diag
  R.vim_diagnostics = vim.diagnostic.get(lib.bufnr)

  -- 2. The actions, and 3. applying one.
  if lib.params.mode == 'ui' then
    -- The cursor on the diagnostic's start: LSP counts UTF-16 units, the
    -- cursor bytes.
    local line = vim.api.nvim_buf_get_lines(lib.bufnr, diag.range.start.line, diag.range.start.line + 1, false)[1]
    local col = vim.str_byteindex(line, diag.range.start.character, true)
    if lib.params.cursor == 'line start' then
      -- Anywhere on the line is enough for 0.7: it sends the line's
      -- diagnostics. Column 0 is where `j`/`k`/`:N` often leave it.
      col = 0
    end
    vim.api.nvim_win_set_cursor(0, { diag.range.start.line + 1, col })
    R.ui_range = vim.lsp.util.make_range_params().range
    local offered
    vim.ui.select = function(items, opts, on_choice)
      offered = {}
      local pick
      for i, tuple in ipairs(items) do
        local action = tuple[2]
        table.insert(offered, { title = action.title, kind = action.kind, isPreferred = action.isPreferred,
          has_edit = action.edit ~= nil, has_command = action.command ~= nil, has_data = action.data ~= nil })
        if pick == nil and action.isPreferred then pick = i end
      end
      R.ui_offered = offered
      pick = pick or 1
      R.chosen = offered[pick]
      on_choice(items[pick], pick)
    end
    local before = lib.text()
    -- What 0.7 will send as context.diagnostics: it rebuilds them from
    -- vim.diagnostic, with byte columns where LSP wants UTF-16.
    R.ui_context_diagnostics = vim.lsp.diagnostic.get_line_diagnostics(lib.bufnr)
    vim.lsp.buf.code_action({ only = { 'quickfix' } })
    vim.wait(5000, function() return lib.text() ~= before or lib.notified('No code actions') end, 20)
    R.applied = lib.text() ~= before
    if not R.applied then
      return
    end
  else
    local result, err = lib.request('textDocument/codeAction', {
      textDocument = { uri = lib.uri },
      range = diag.range,
      context = { diagnostics = { diag }, only = { 'quickfix' } },
    })
    R.codeaction_error = err
    R.actions = result or {}
    local pick
    for _, a in ipairs(R.actions) do
      if a.isPreferred then pick = a break end
    end
    pick = pick or R.actions[1]
    if not pick then
      return
    end
    R.chosen = { title = pick.title, kind = pick.kind, isPreferred = pick.isPreferred,
      has_edit = pick.edit ~= nil, has_command = pick.command ~= nil, has_data = pick.data ~= nil }
    if not pick.edit and pick.data ~= nil then
      local resolved, rerr = lib.request('codeAction/resolve', pick)
      R.resolve_error = rerr
      if resolved then pick = resolved end
      R.resolved = true
    end
    if not pick.edit then
      return
    end
    R.edit = pick.edit
    vim.lsp.util.apply_workspace_edit(pick.edit, 'utf-16')
    R.applied = true
  end
  lib.step('applied')
  R.after = lib.text()

  -- 4. The diagnostic goes away (didChange is sent by buf_attach).
  R.diagnostic_gone = vim.wait(10000, function()
    return #lib.golens_diags(code) == 0
  end, 20)
  R.remaining = lib.golens_diags(code)
  lib.step('diagnostic gone')
end)
