-- A code action of one kind, without a diagnostic (rewrites, pattern
-- inserts). GOLENS_PARAMS = {line, character, only, title_pattern, mode}:
-- request the actions of kind `only` at the position, take the one whose
-- title matches title_pattern (a Lua pattern, matched case-insensitively),
-- resolve it if it carries only data, and apply its edit.
--   mode "request": textDocument/codeAction + apply_workspace_edit.
--   mode "ui":      vim.lsp.buf.code_action{only = {only}} with
--                   vim.ui.select answering for the user.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local P = lib.params
local R = lib.result

local function summary(a)
  return { title = a.title, kind = a.kind, isPreferred = a.isPreferred,
    has_edit = a.edit ~= nil, has_command = a.command ~= nil, has_data = a.data ~= nil }
end

local function matches(a)
  return a.title and a.title:lower():find(P.title_pattern) ~= nil
end

lib.run(function()
  lib.start()
  vim.api.nvim_win_set_cursor(0, { P.line + 1, P.character })
  R.before = lib.text()

  if P.mode == 'ui' then
    vim.ui.select = function(items, opts, on_choice)
      R.offered = {}
      local pick
      for i, tuple in ipairs(items) do
        table.insert(R.offered, summary(tuple[2]))
        if pick == nil and matches(tuple[2]) then pick = i end
      end
      if not pick then
        on_choice(nil, nil)
        return
      end
      R.chosen = summary(items[pick][2])
      on_choice(items[pick], pick)
    end
    -- The range 0.7 sends: from the cursor, which normal mode keeps on a
    -- character (column 0 on a blank line).
    R.ui_range = vim.lsp.util.make_range_params().range
    vim.lsp.buf.code_action({ only = { P.only } })
    vim.wait(5000, function() return lib.text() ~= R.before or lib.notified('No code actions') end, 20)
    R.applied = lib.text() ~= R.before
  else
    local pos = { line = P.line, character = P.character }
    local result, err = lib.request('textDocument/codeAction', {
      textDocument = { uri = lib.uri },
      range = { start = pos, ['end'] = pos },
      context = { diagnostics = {}, only = { P.only } },
    })
    R.codeaction_error = err
    R.offered = vim.tbl_map(summary, result or {})
    local pick
    for _, a in ipairs(result or {}) do
      if matches(a) then pick = a break end
    end
    if not pick then
      return
    end
    R.chosen = summary(pick)
    if not pick.edit and pick.data ~= nil then
      local resolved, rerr = lib.request('codeAction/resolve', pick)
      R.resolve_error = rerr
      R.resolved = true
      if resolved then pick = resolved end
    end
    if not pick.edit then
      return
    end
    R.edit = pick.edit
    vim.lsp.util.apply_workspace_edit(pick.edit, 'utf-16')
    R.applied = true
  end
  R.after = lib.text()
  lib.step('applied')
end)
