-- Completion. GOLENS_PARAMS = {line, character, label}: the cursor is
-- right after a typed word (the label) on its own line. Request
-- textDocument/completion with Neovim 0.7's default client capabilities
-- (no snippetSupport), pick the item with that label (or whose filterText
-- starts with it), and apply it as a plain-text completion would be: its
-- textEdit, or insertText over the typed word, plus additionalTextEdits.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')
local P = lib.params
local R = lib.result

lib.run(function()
  lib.start()
  -- What this Neovim advertised (start_client got no capabilities, so
  -- these are make_client_capabilities()'s defaults).
  local caps = vim.lsp.protocol.make_client_capabilities()
  R.snippet_support = caps.textDocument.completion.completionItem.snippetSupport
  vim.api.nvim_win_set_cursor(0, { P.line + 1, P.character })
  R.before = lib.text()

  local result, err = lib.request('textDocument/completion', {
    textDocument = { uri = lib.uri },
    position = { line = P.line, character = P.character },
    context = { triggerKind = 1 },
  })
  R.error = err
  R.null = (result == nil)
  local items = result or {}
  if items.items then
    R.is_list = true
    R.is_incomplete = items.isIncomplete
    items = items.items
  end
  R.labels = vim.tbl_map(function(it) return it.label end, items)
  -- What 0.7's own vim.lsp.omnifunc would offer for the typed word: it
  -- keeps only items whose inserted text starts with the word.
  R.omnifunc = vim.tbl_map(function(m) return { abbr = m.abbr, word = m.word } end,
    vim.lsp.util.text_document_completion_list_to_complete_items(result or {}, P.label))
  lib.step('completion')

  local item
  for _, it in ipairs(items) do
    if it.label == P.label then item = it break end
  end
  if not item then
    for _, it in ipairs(items) do
      if (it.filterText or ''):sub(1, #P.label) == P.label then item = it break end
    end
  end
  if not item then
    return
  end
  if item.additionalTextEdits == nil and item.textEdit == nil and item.insertText == nil then
    -- Only a resolve can fill it in (0.7 advertises no resolveSupport).
    local resolved, rerr = lib.request('completionItem/resolve', item)
    R.resolve_error = rerr
    R.resolved = true
    if resolved then item = resolved end
  end
  R.item = item

  local edits = {}
  if item.textEdit then
    local te = item.textEdit
    if te.range then
      table.insert(edits, te)
    else
      -- InsertReplaceEdit, which 0.7 did not ask for: use the replace range.
      R.insert_replace_edit = true
      table.insert(edits, { range = te.replace, newText = te.newText })
    end
  else
    -- No textEdit: the client replaces the word before the cursor.
    local line = vim.api.nvim_buf_get_lines(lib.bufnr, P.line, P.line + 1, false)[1]
    local word_start = vim.fn.match(line:sub(1, P.character), '\\k*$')
    table.insert(edits, {
      range = { start = { line = P.line, character = word_start }, ['end'] = { line = P.line, character = P.character } },
      newText = item.insertText or item.label,
    })
  end
  for _, e in ipairs(item.additionalTextEdits or {}) do
    table.insert(edits, e)
  end
  vim.lsp.util.apply_text_edits(edits, lib.bufnr, 'utf-16')
  R.applied = true
  R.after = lib.text()
  lib.step('applied')
end)
