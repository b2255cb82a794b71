-- Headless Neovim (0.7.2+) as the language server's client, end to end:
--   open a file → the FileType autocmd starts asyncguard's server and attaches the buffer → wait for
--   the server's diagnostics → request code actions on the rule's diagnostic → apply one by title →
--   `silent write` → wait until the server re-publishes with no diagnostics → stop the server → quit.
--
-- Usage (test/neovim.test.ts runs it; XDG_* and NVIM_LOG_FILE should point into a temp folder):
--   ASYNCGUARD_SERVER=<repo>/dist/server.js ASYNCGUARD_OUT=<report.jsonl> \
--     nvim --headless -n -i NONE -u test/neovim/lsp-check.lua <project>/src/load.ts
--
-- Environment:
--   ASYNCGUARD_SERVER      the bundled server (required)
--   ASYNCGUARD_OUT         the report, one JSON object per line with an `event` field (required)
--   ASYNCGUARD_NODE        the node executable (default `node` on PATH)
--   ASYNCGUARD_RULE        the diagnostic code to act on (default `asyncguard/no-unawaited-promise`)
--   ASYNCGUARD_ACTION      the title of the code action to apply (default "Add `await`.")
--   ASYNCGUARD_TRUSTED     `false` to send `trusted = false` in the initialization options
--   ASYNCGUARD_TIMEOUT_MS  the limit of each wait (default 30000)
--
-- Exit code 0 when every step passed, else one code per failure (EXIT below); the last line of the
-- report is `{"event":"fail","exit":…,"reason":…,…}`. Every wait has a timeout; the caller should
-- still wrap nvim in a process timeout (a syntax error in this file would leave nvim waiting).

local EXIT = {
  ok = 0,
  usage = 2, -- an environment variable is missing, or no file was given
  not_attached = 3, -- no asyncguard client attached to the buffer (FileType did not start it)
  server_exited = 4, -- the server process ended before the check was done
  no_diagnostics = 5, -- timed out waiting for asyncguard diagnostics
  no_rule_diagnostic = 6, -- diagnostics arrived, none with the expected code
  code_action_failed = 7, -- textDocument/codeAction timed out or answered with an error
  action_not_found = 8, -- no code action with the requested title
  apply_failed = 9, -- the action has no edit, or applying it left the buffer unchanged
  write_failed = 10, -- `silent write` failed
  not_cleared = 11, -- timed out waiting for a publish, for the fixed version, without the fixed diagnostic
  stop_failed = 12, -- the server did not exit after shutdown/exit (it was killed)
  lua_error = 13, -- an unexpected error in this script
}

local env = {
  server = os.getenv('ASYNCGUARD_SERVER'),
  out = os.getenv('ASYNCGUARD_OUT'),
  node = os.getenv('ASYNCGUARD_NODE') or 'node',
  rule = os.getenv('ASYNCGUARD_RULE') or 'asyncguard/no-unawaited-promise',
  action = os.getenv('ASYNCGUARD_ACTION') or 'Add `await`.',
  trusted = os.getenv('ASYNCGUARD_TRUSTED') ~= 'false',
  timeout = tonumber(os.getenv('ASYNCGUARD_TIMEOUT_MS') or '') or 30000,
}

local t0 = vim.loop.hrtime()
local report = env.out and io.open(env.out, 'w')

-- One JSON line per event, flushed at once: if nvim is killed by the caller's timeout, the report
-- still shows how far it got.
local function emit(event, fields)
  local record = vim.tbl_extend('force', { event = event, ms = math.floor((vim.loop.hrtime() - t0) / 1e6) }, fields or {})
  if report then
    report:write(vim.fn.json_encode(record), '\n')
    report:flush()
  else
    io.stderr:write(vim.fn.json_encode(record), '\n')
  end
end

local function quit(code)
  if report then report:close() end
  if code == EXIT.ok then vim.cmd('qall!') else vim.cmd('cquit! ' .. code) end
end

-- A failure ends the run: `error(failure(...))` unwinds to the VimEnter handler, which reports it.
local Failure = {}
local function failure(name, reason, fields)
  return setmetatable({ name = name, reason = reason, fields = fields or {} }, Failure)
end

-- ---- The user configuration: keep in step with README.md's "Neovim" section -----------------------
-- (the server path, node and trust come from the environment here; `debounceMs = 0` keeps it fast).

local function project_root(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  while true do
    for _, marker in ipairs({ 'tsconfig.json', 'jsconfig.json', 'package.json' }) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then return dir end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then return vim.fn.fnamemodify(file, ':p:h') end
    dir = parent
  end
end

-- What the harness observes besides the user configuration (on_exit runs in a fast event: no vim.fn).
local published = {} -- every textDocument/publishDiagnostics: { version, codes }
local server_exit -- { code, signal } once the server process ended

local harness = {
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      if result then
        local codes = vim.tbl_map(function(d) return d.code or vim.NIL end, result.diagnostics or {})
        table.insert(published, { version = result.version or vim.NIL, codes = codes })
        emit('publish', published[#published])
      end
      return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
    end,
    ['window/logMessage'] = function(_, result)
      if result then emit('server-log', { type = result.type, message = result.message }) end
    end,
    ['window/showMessage'] = function(_, result)
      if result then emit('server-message', { type = result.type, message = result.message }) end
    end,
  },
  on_exit = function(code, signal) server_exit = { code = code, signal = signal } end,
}

local clients = {} -- one server per project root

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' },
  callback = function(args)
    local root = project_root(args.file)
    if not (clients[root] and vim.lsp.get_client_by_id(clients[root])) then
      clients[root] = vim.lsp.start_client(vim.tbl_extend('error', {
        name = 'asyncguard',
        cmd = { env.node, env.server, '--stdio' },
        root_dir = root,
        settings = { asyncguard = { run = 'onType', debounceMs = 0 } }, -- workspace/configuration
        init_options = { trusted = env.trusted },
      }, harness))
    end
    if clients[root] then vim.lsp.buf_attach_client(args.buf, clients[root]) end
  end,
})

-- ---- The check ------------------------------------------------------------------------------------

local function asyncguard_client(buf)
  for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
    if client.name == 'asyncguard' then return client end
  end
end

-- vim.wait that also gives up as soon as the server process is gone.
local function wait_for(what, predicate, on_timeout)
  local ok = vim.wait(env.timeout, function() return server_exit ~= nil or predicate() end, 20)
  if server_exit ~= nil and not predicate() then
    error(failure('server_exited', 'the server exited while waiting for ' .. what, server_exit))
  end
  if not ok then error(failure(on_timeout, 'timed out after ' .. env.timeout .. ' ms waiting for ' .. what)) end
end

local function asyncguard_diagnostics(buf)
  return vim.tbl_filter(function(d) return d.source == 'asyncguard' end, vim.diagnostic.get(buf))
end

-- The LSP diagnostics of one line, as Neovim's own code-action request sends them as context.
local function lsp_line_diagnostics(buf, client, lnum)
  local get_line = vim.lsp.diagnostic.get_line_diagnostics -- 0.7 - 0.9
  if get_line then return get_line(buf, lnum, {}, client.id) end
  return vim.tbl_map(function(d) -- 0.10+: user_data.lsp holds the diagnostic as the server sent it
    return (d.user_data and d.user_data.lsp) or {
      range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
      severity = d.severity, message = d.message, source = d.source, code = d.code,
    }
  end, vim.diagnostic.get(buf, { lnum = lnum }))
end

local function run()
  if not (env.server and env.out) then error(failure('usage', 'set ASYNCGUARD_SERVER and ASYNCGUARD_OUT')) end
  local buf = vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(buf)
  local v = vim.version()
  emit('start', { nvim = string.format('%d.%d.%d', v.major, v.minor, v.patch), file = file, filetype = vim.bo[buf].filetype })
  if file == '' then error(failure('usage', 'no file given: nvim … -u lsp-check.lua FILE')) end

  if next(clients) == nil then
    error(failure('not_attached', 'the FileType autocmd started no client (filetype "' .. vim.bo[buf].filetype .. '")'))
  end
  -- The client joins the buffer once the server has answered `initialize`.
  wait_for('the client to initialize', function() return asyncguard_client(buf) ~= nil end, 'not_attached')
  local client = asyncguard_client(buf)
  emit('attached', { client_id = client.id, root_dir = client.config.root_dir, server_pid = client.rpc and client.rpc.pid or vim.NIL })

  -- 1. Diagnostics.
  wait_for('asyncguard diagnostics', function() return #asyncguard_diagnostics(buf) > 0 end, 'no_diagnostics')
  local target
  for _, d in ipairs(asyncguard_diagnostics(buf)) do
    emit('diagnostic', {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum or vim.NIL, end_col = d.end_col or vim.NIL,
      severity = d.severity, source = d.source, code = d.code or vim.NIL, message = d.message,
    })
    if d.code == env.rule and not target then target = d end
  end
  if not target then error(failure('no_rule_diagnostic', 'no diagnostic with code ' .. env.rule)) end

  -- 2. Code actions on the diagnostic's range, with the line's LSP diagnostics as context.
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = {
      start = { line = target.lnum, character = target.col },
      ['end'] = { line = target.end_lnum or target.lnum, character = target.end_col or target.col },
    },
    context = { diagnostics = lsp_line_diagnostics(buf, client, target.lnum) },
  }
  local response, reason = client.request_sync('textDocument/codeAction', params, env.timeout, buf)
  if not response or response.err then
    error(failure('code_action_failed', 'textDocument/codeAction: ' .. tostring(response and vim.inspect(response.err) or reason)))
  end
  local actions = response.result or {}
  local titles, chosen = {}, nil
  for _, action in ipairs(actions) do
    table.insert(titles, action.title)
    if action.title == env.action and not chosen then chosen = action end
  end
  emit('actions', { titles = titles })
  if not chosen then error(failure('action_not_found', 'no code action titled ' .. env.action)) end

  -- 3. Apply it the way Neovim applies a code action: its edit, then its command.
  local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  if not chosen.edit and not chosen.command then
    local resolved = client.request_sync('codeAction/resolve', chosen, env.timeout, buf)
    if resolved and resolved.result then chosen = resolved.result end
  end
  if not chosen.edit then error(failure('apply_failed', 'the action "' .. env.action .. '" carries no edit')) end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
  if chosen.command then
    local command = type(chosen.command) == 'table' and chosen.command or chosen
    client.request_sync('workspace/executeCommand', { command = command.command, arguments = command.arguments }, env.timeout, buf)
  end
  local after = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  if vim.deep_equal(before, after) then
    error(failure('apply_failed', 'applying "' .. env.action .. '" left the buffer unchanged (a stale documentChanges version?)'))
  end
  emit('applied', { title = env.action, lines = after })

  -- 4. Save; the server re-lints the fixed text (didChange, didSave) and publishes for its version
  -- without the diagnostic the action fixed. Whatever else it reports then is in `after-fix`.
  local fixed_version = vim.lsp.util.buf_versions[buf]
  local written, write_error = pcall(vim.cmd, 'silent write')
  if not written then error(failure('write_failed', tostring(write_error))) end
  emit('written', { file = file, version = fixed_version })
  wait_for('a publish for version ' .. tostring(fixed_version) .. ' without ' .. env.rule, function()
    local last = published[#published]
    return last ~= nil and last.version == fixed_version and not vim.tbl_contains(last.codes, env.rule)
  end, 'not_cleared')
  local remaining = {}
  for _, d in ipairs(asyncguard_diagnostics(buf)) do
    table.insert(remaining, { lnum = d.lnum, col = d.col, code = d.code or vim.NIL, message = d.message })
  end
  emit('after-fix', { version = fixed_version, diagnostics = remaining })

  -- 5. Stop the server: shutdown + exit, then make sure the process is gone.
  vim.lsp.stop_client(client.id)
  local stopped = vim.wait(env.timeout, function() return server_exit ~= nil end, 20)
  if not stopped then
    vim.lsp.stop_client(client.id, true)
    vim.wait(2000, function() return server_exit ~= nil end, 20)
    error(failure('stop_failed', 'the server did not exit after shutdown/exit; killed it'))
  end
  emit('stopped', server_exit)
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  nested = true, -- else `silent write` fires no BufWritePost, and Neovim sends no didSave
  callback = function()
    local ok, err = pcall(run)
    if ok then
      emit('done')
      return quit(EXIT.ok)
    end
    local name = getmetatable(err) == Failure and err.name or 'lua_error'
    local reason = getmetatable(err) == Failure and err.reason or tostring(err)
    emit('fail', vim.tbl_extend('force', { exit = EXIT[name], name = name, reason = reason, publishes = published },
      getmetatable(err) == Failure and err.fields or {}))
    -- Never leave the server behind: stop it (VimLeavePre would too, but only after 500 ms).
    for _, client in pairs(vim.lsp.get_active_clients()) do client.stop(true) end
    quit(EXIT[name])
  end,
})
