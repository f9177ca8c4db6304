-- Drives a headless Neovim against `param-lsp serve`: diagnostics, completion inside
-- `{{ globals. }}`, hover. Prints JSON lines; exits non-zero (`cquit`) on any failure.
-- Env: PARAM_LSP_CMD (server command), PARAM_LSP_WS (a copy of examples/),
-- PARAM_LSP_CONFIG (the documented config file; used on Neovim >= 0.11).
local function out(tbl) io.stdout:write(vim.fn.json_encode(tbl) .. "\n"); io.stdout:flush() end
local function fail(msg) out({ ok = false, error = msg }); vim.cmd("cquit 1") end
local uv = vim.loop
local ws = assert(os.getenv("PARAM_LSP_WS"), "PARAM_LSP_WS not set")
local cmd = vim.split(assert(os.getenv("PARAM_LSP_CMD")), " ", { trimempty = true })
local modern = vim.lsp.config ~= nil and vim.lsp.enable ~= nil

local ok, err = pcall(function()
  local t0 = uv.hrtime()
  local function ms() return math.floor((uv.hrtime() - t0) / 1e6) end
  local v = vim.version()
  out({ step = "start", nvim = v.major .. "." .. v.minor .. "." .. v.patch, modern = modern })

  local client_id
  local function attach(bufnr)
    if modern then
      -- The documented config: filetype detection + vim.lsp.config/enable start the client.
      if not vim.wait(10000, function() return #vim.lsp.get_clients({ bufnr = bufnr }) > 0 end, 10) then
        return fail("documented config did not attach (filetype " .. vim.bo[bufnr].filetype .. ")")
      end
      client_id = vim.lsp.get_clients({ bufnr = bufnr })[1].id
    else
      vim.bo[bufnr].filetype = "yaml"
      if not client_id then
        client_id = vim.lsp.start_client({ name = "param_lsp", cmd = cmd, root_dir = ws,
          flags = { debounce_text_changes = 0 } })
      end
      vim.lsp.buf_attach_client(bufnr, client_id)
    end
  end

  if modern then
    dofile(assert(os.getenv("PARAM_LSP_CONFIG")))
    vim.lsp.config("param_lsp", { cmd = cmd })  -- the command under test
  end

  -- 1. Diagnostics on a file with mistakes (detected by content: its name is not special).
  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/mistakes/typo-and-types.yaml"))
  local bufnr = vim.api.nvim_get_current_buf()
  attach(bufnr)
  local client = vim.lsp.get_client_by_id(client_id)
  if not vim.wait(15000, function() return client.initialized end, 10) then return fail("initialize timed out") end
  out({ step = "initialized", ms = ms(), filetype = vim.bo[bufnr].filetype, root = client.config.root_dir })
  local function has_value_error()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.lnum == 6 and d.col == 10 and tostring(d.code) == "PLX302" then return true end
    end
    return false
  end
  if not vim.wait(15000, has_value_error, 10) then
    return fail("no PLX302 diagnostic at 7:11; got " .. vim.inspect(vim.diagnostic.get(bufnr)))
  end
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(diags, { lnum = d.lnum, col = d.col, code = d.code, severity = d.severity })
  end
  out({ step = "diagnostics", ms = ms(), diagnostics = diags })

  -- 2. Hover and completion inside a template of the component.
  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/components/train.yaml"))
  local comp = vim.api.nvim_get_current_buf()
  attach(comp)
  local row, col
  for i, line in ipairs(vim.api.nvim_buf_get_lines(comp, 0, -1, false)) do
    local s = line:find("globals.artifacts_path", 1, true)
    if s then row, col = i - 1, s - 1 end
  end
  if not row then return fail("no globals.artifacts_path in the component") end
  local uri = vim.uri_from_bufnr(comp)
  local hover_pos = { line = row, character = col + #"globals." + 2 }
  local hover
  vim.wait(10000, function()
    local h = vim.lsp.buf_request_sync(comp, "textDocument/hover",
      { textDocument = { uri = uri }, position = hover_pos }, 5000)
    hover = h and h[client_id] and h[client_id].result
    return hover ~= nil
  end, 50)
  if not hover then return fail("no hover on globals.artifacts_path") end
  local value = type(hover.contents) == "table" and (hover.contents.value or vim.inspect(hover.contents)) or tostring(hover.contents)
  if not value:find("artifacts") then return fail("hover does not mention artifacts: " .. value) end
  out({ step = "hover", ms = ms(), value = value:sub(1, 200) })

  -- Delete `artifacts_path` (incremental didChange), then complete after `{{ globals.`.
  local name_col = col + #"globals."
  vim.api.nvim_buf_set_text(comp, row, name_col, row, name_col + #"artifacts_path", { "" })
  local labels = {}
  vim.wait(10000, function()
    local r = vim.lsp.buf_request_sync(comp, "textDocument/completion",
      { textDocument = { uri = uri }, position = { line = row, character = name_col } }, 5000)
    local res = r and r[client_id] and r[client_id].result
    labels = {}
    for _, item in ipairs(res and (res.items or res) or {}) do table.insert(labels, item.label) end
    return vim.tbl_contains(labels, "artifacts_path")
  end, 50)
  if not vim.tbl_contains(labels, "artifacts_path") then
    return fail("completion after {{ globals. lacks artifacts_path: " .. vim.inspect(labels))
  end
  out({ step = "completion", ms = ms(), count = #labels, sample = { unpack(labels, 1, 5) } })

  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 10)
  out({ ok = true, ms = ms() })
end)
if not ok then fail(tostring(err)) end
vim.cmd("qall!")
