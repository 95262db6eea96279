-- Shared helpers for the golens Neovim end-to-end scripts.
--
-- Every script is run by nvim_test.go as
--   nvim --headless --clean -n -i NONE -u <script.lua>
-- with these environment variables:
--   GOLENS_BIN     the golens binary
--   GOLENS_ROOT    the fixture module's directory (root_dir)
--   GOLENS_FILE    the Go file to open
--   GOLENS_OUT     where to write the JSON result
--   GOLENS_PARAMS  JSON with the test's own parameters (positions, names)
-- The scripts do not judge: they record what the server said and what the
-- buffer became, and the Go test asserts on that record.
local M = {}

M.env = {
  bin = os.getenv('GOLENS_BIN'),
  root = os.getenv('GOLENS_ROOT'),
  file = os.getenv('GOLENS_FILE'),
  out = os.getenv('GOLENS_OUT'),
}
M.params = vim.fn.json_decode(os.getenv('GOLENS_PARAMS') or '{}')
if type(M.params) ~= 'table' then
  M.params = {} -- null
end

-- result is what gets written to GOLENS_OUT.
M.result = {
  nvim_version = vim.version(),
  log_messages = {},   -- window/logMessage and window/showMessage from golens
  diagnostics = {},    -- every publishDiagnostics for our file, in order
  steps = {},          -- step name -> milliseconds, in the order they ran
}

local t0 = vim.loop.hrtime()
local function ms() return math.floor((vim.loop.hrtime() - t0) / 1e6) end

function M.step(name)
  table.insert(M.result.steps, { name = name, at_ms = ms() })
end

-- vim.notify: 0.7's code-action UI says "No code actions available" this
-- way; scripts wait for it instead of a timeout.
M.result.notifications = {}
vim.notify = function(msg, level)
  table.insert(M.result.notifications, { message = tostring(msg), level = level })
end
function M.notified(pattern)
  for _, n in ipairs(M.result.notifications) do
    if n.message:find(pattern) then return true end
  end
  return false
end

-- The Go test prints the end of lsp.log when a test fails: make it useful.
vim.lsp.set_log_level('debug')

-- latest raw LSP diagnostics per URI, as golens published them.
M.latest_diags = {}

local function record_message(kind)
  return function(_, result)
    if result then
      table.insert(M.result.log_messages, { kind = kind, type = result.type, message = result.message })
    end
    return vim.NIL
  end
end

-- start opens GOLENS_FILE, starts golens for it and waits for initialize.
-- opts.init_options and opts.capabilities are passed to start_client.
function M.start(opts)
  opts = opts or {}
  -- A normal startup enables filetype detection after init.lua; -u does
  -- not get there before the script runs. It makes languageId "go".
  vim.cmd('filetype on')
  vim.cmd('edit ' .. vim.fn.fnameescape(M.env.file))
  local bufnr = vim.api.nvim_get_current_buf()
  M.bufnr = bufnr
  M.uri = vim.uri_from_bufnr(bufnr)
  local default_diags = vim.lsp.handlers['textDocument/publishDiagnostics']
  local id = vim.lsp.start_client({
    name = 'golens',
    cmd = { M.env.bin },
    root_dir = M.env.root,
    flags = { debounce_text_changes = 0 },
    init_options = opts.init_options,
    on_exit = function(code, signal)
      M.result.server_exit = { code = code, signal = signal, at_ms = ms() }
    end,
    capabilities = opts.capabilities,
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        -- Match the file as Neovim does (by decoded name): golens may spell
        -- the URI differently (percent-encoding) from the one Neovim sent.
        if result and vim.uri_to_bufnr(result.uri) == bufnr then
          if result.uri ~= M.uri then
            M.result.uri_respelled = { sent = M.uri, published = result.uri }
          end
          M.latest_diags[M.uri] = result.diagnostics or {}
          table.insert(M.result.diagnostics, {
            at_ms = ms(),
            version = result.version,
            count = #(result.diagnostics or {}),
            codes = vim.tbl_map(function(d) return tostring(d.code) .. '@' .. d.range.start.line end,
              result.diagnostics or {}),
          })
        end
        return default_diags(err, result, ctx, config)
      end,
      ['window/logMessage'] = record_message('log'),
      ['window/showMessage'] = record_message('show'),
    },
  })
  if not id then
    error('vim.lsp.start_client returned nil (cmd ' .. tostring(M.env.bin) .. ')')
  end
  vim.lsp.buf_attach_client(bufnr, id)
  -- 0.7: get_client_by_id also returns a client that is not yet
  -- initialized; its `initialized` field turns true in the initialize
  -- callback, which also sends didOpen for the attached buffer.
  local client = vim.lsp.get_client_by_id(id)
  M.client = client
  local ok = vim.wait(10000, function() return client.initialized == true end, 10)
  if not ok then
    error('golens did not finish initialize within 10 s')
  end
  M.result.server_capabilities = client.server_capabilities
  M.step('initialized')
  return client, bufnr
end

-- request sends a request and waits for its answer (timeout in ms).
-- It returns the result (nil for null) and records errors.
function M.request(method, params, timeout)
  local res, err = M.client.request_sync(method, params, timeout or 5000, M.bufnr)
  if not res then
    return nil, method .. ': no response: ' .. tostring(err)
  end
  if res.err then
    return nil, method .. ': error ' .. vim.inspect(res.err)
  end
  if res.result == vim.NIL then
    return nil, nil
  end
  return res.result, nil
end

function M.text()
  return table.concat(vim.api.nvim_buf_get_lines(M.bufnr, 0, -1, false), '\n') .. '\n'
end

-- golens_diags returns the latest golens diagnostics with the given code.
function M.golens_diags(code)
  local out = {}
  for _, d in ipairs(M.latest_diags[M.uri] or {}) do
    if d.source == 'golens' and (code == nil or tostring(d.code) == code) then
      table.insert(out, d)
    end
  end
  return out
end

-- run calls fn() under pcall, writes the result JSON and quits nvim with
-- exit code 0 when fn returned normally and 3 when it raised an error.
function M.run(fn)
  local ok, err = xpcall(fn, debug.traceback)
  if not ok then
    M.result.lua_error = tostring(err)
  end
  local fin_ok, fin_err = pcall(function()
    M.step('done')
    if M.client then
      if M.params.graceful_stop then
        -- shutdown, then exit: the way :LspStop and :qa end a server.
        M.client.stop()
        M.result.stopped = vim.wait(3000, function() return M.client.is_stopped() end, 10)
      else
        -- Other tests do not wait for a graceful exit: SIGTERM.
        M.client.stop(true)
        M.result.stopped = vim.wait(2000, function() return M.client.is_stopped() end, 10)
      end
      M.step('stopped')
    end
    local f = assert(io.open(M.env.out, 'w'))
    f:write(vim.fn.json_encode(M.result))
    f:close()
  end)
  if not fin_ok then
    io.stderr:write('golens e2e: writing the record failed: ' .. tostring(fin_err) .. '\n')
    vim.cmd('cquit 4')
  end
  vim.cmd(ok and 'cquit 0' or 'cquit 3')
end

return M
