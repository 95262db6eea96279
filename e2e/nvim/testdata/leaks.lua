-- Leaks: GOLENS_FILE is work_test.go. Records the code lenses, runs the
-- "find leaks" lens over TestTimeout through workspace/executeCommand (as a
-- Neovim user would with vim.lsp.buf.execute_command), the diagnostics Neovim
-- then holds for work.go (not open, then opened), the progress golens
-- reported, and a second run (TestSlow) that hits the leaks.timeout setting.
local lib = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/lib.lua')

local function diags_of(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(out, { source = d.source, message = d.message, lnum = d.lnum, col = d.col })
  end
  return out
end

lib.run(function()
  -- The default leaks.timeout (120 s) for TestTimeout: its run includes
  -- building the test with the goroutineleak experiment, which on a loaded
  -- machine can take longer than the 5 s TestSlow is given below.
  local client = lib.start({})
  local lenses, err = lib.request('textDocument/codeLens', { textDocument = { uri = lib.uri } })
  lib.result.lens_error = err
  lib.result.lenses = {}
  local timeout_lens
  for _, l in ipairs(lenses or {}) do
    table.insert(lib.result.lenses, { title = l.command.title, line = l.range.start.line, command = l.command.command })
    if l.command.arguments[1].test == 'TestTimeout' then timeout_lens = l end
  end
  lib.step('lenses')
  if not timeout_lens then return end

  local res, run_err = lib.request('workspace/executeCommand', {
    command = timeout_lens.command.command,
    arguments = timeout_lens.command.arguments,
  }, 120000)
  lib.result.run = { result = res, error = run_err }
  lib.step('ran TestTimeout')

  -- Progress as Neovim 0.7 keeps it (client.messages.progress).
  lib.result.progress = {}
  for _, p in pairs((client.messages or {}).progress or {}) do
    table.insert(lib.result.progress, { title = p.title, message = p.message, done = p.done == true })
  end

  local work = vim.fn.fnamemodify(lib.env.file, ':h') .. '/work.go'
  local work_buf = vim.uri_to_bufnr(vim.uri_from_fname(work))
  lib.result.work_unopened = diags_of(work_buf)

  -- Opened (and attached), work.go shows the leak beside the static finding.
  vim.cmd('edit ' .. vim.fn.fnameescape(work))
  vim.lsp.buf_attach_client(work_buf, client.id)
  vim.wait(5000, function()
    for _, d in ipairs(vim.diagnostic.get(work_buf)) do
      if d.source == 'golens' and d.message:find('confirmed by') then return true end
    end
    return false
  end, 20)
  lib.result.work_opened = diags_of(work_buf)

  -- An edit clears the leak.
  vim.api.nvim_buf_set_lines(work_buf, 0, 0, false, { '// edited' })
  vim.wait(5000, function()
    for _, d in ipairs(vim.diagnostic.get(work_buf)) do
      if d.source == 'golens-leaks' then return false end
    end
    return true
  end, 20)
  lib.result.work_edited = diags_of(work_buf)
  lib.step('edited')

  -- TestSlow sleeps for ten minutes: a 5 s leaks.timeout, set the way an
  -- editor changes a setting, ends the run (the test binary is built by now).
  client.notify('workspace/didChangeConfiguration', { settings = { golens = { leaks = { timeout = 5 } } } })
  local t0 = vim.loop.hrtime()
  local slow_res, slow_err = lib.request('workspace/executeCommand', {
    command = 'golens.findLeaks',
    arguments = { { uri = lib.uri, test = 'TestSlow' } },
  }, 60000)
  lib.result.slow = { result = slow_res, error = slow_err, ms = math.floor((vim.loop.hrtime() - t0) / 1e6) }
  lib.step('slow')
end)
