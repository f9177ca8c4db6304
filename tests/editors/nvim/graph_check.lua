-- Drives a headless Neovim (>= 0.11) with the documented config and graph config against
-- `param-lsp serve` on a copy of examples/: code lenses, `:PipelineGraph`, running a lens, and
-- value hovers (flow style ref value, `{{ learning_rate }}` in a component). Prints JSON lines.
-- Env: PARAM_LSP_CMD, PARAM_LSP_WS, PARAM_LSP_CONFIG, PARAM_LSP_GRAPH_CONFIG.
local function out(tbl) io.stdout:write(vim.fn.json_encode(tbl) .. "\n"); io.stdout:flush() end
local function fail(msg) out({ ok = false, error = msg }); vim.cmd("cquit 1") end
local ws = assert(os.getenv("PARAM_LSP_WS"), "PARAM_LSP_WS not set")
local cmd = vim.split(assert(os.getenv("PARAM_LSP_CMD")), " ", { trimempty = true })

local ok, err = pcall(function()
  dofile(assert(os.getenv("PARAM_LSP_CONFIG")))
  dofile(assert(os.getenv("PARAM_LSP_GRAPH_CONFIG")))
  vim.lsp.config("param_lsp", { cmd = cmd })

  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/pipeline.yaml"))
  local bufnr = vim.api.nvim_get_current_buf()
  if not vim.wait(15000, function() return #vim.lsp.get_clients({ bufnr = bufnr, name = "param_lsp" }) > 0 end, 10) then
    return fail("param_lsp did not attach")
  end
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "param_lsp" })[1]
  if not vim.wait(15000, function() return client.initialized end, 10) then return fail("initialize timed out") end

  -- 1. Code lenses, from the LspAttach autocmd of the graph config.
  local titles = {}
  vim.wait(15000, function()
    titles = {}
    for _, lens in ipairs(vim.lsp.codelens.get(bufnr)) do
      if lens.command then table.insert(titles, { line = lens.range.start.line, title = lens.command.title }) end
    end
    return #titles >= 4
  end, 50)
  out({ step = "lenses", lenses = titles })

  -- 2. :PipelineGraph mermaid opens a split with the graph.
  vim.cmd("PipelineGraph mermaid")
  local graph_lines
  vim.wait(10000, function()
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    if lines[1] == "flowchart LR" then graph_lines = lines end
    return graph_lines ~= nil
  end, 20)
  if not graph_lines then return fail(":PipelineGraph opened no graph") end
  out({ step = "graph", filetype = vim.bo.filetype, lines = graph_lines })
  vim.cmd("close")

  -- 3. Running the lens above `operations:` opens the graph as well.
  vim.api.nvim_set_current_buf(bufnr)
  local ops_line
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if line:find("operations:", 1, true) then ops_line = i end
  end
  vim.api.nvim_win_set_cursor(0, { ops_line, 4 })
  vim.lsp.codelens.run()
  local ran
  vim.wait(10000, function()
    ran = vim.api.nvim_buf_get_lines(0, 0, 1, false)[1] == "flowchart LR"
    return ran
  end, 20)
  out({ step = "lens-run", opened = ran })
  if ran then vim.cmd("close") end

  -- 4. Value hovers: a flow-style `{ref: ops.train, value: outputs.model}` and `{{ learning_rate }}`.
  local function hover_at(buf, needle, shift)
    for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
      local s = line:find(needle, 1, true)
      if s then
        local value
        vim.wait(10000, function()
          local r = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
            textDocument = { uri = vim.uri_from_bufnr(buf) },
            position = { line = i - 1, character = s - 1 + shift },
          }, 5000)
          local res = r and r[client.id] and r[client.id].result
          value = res and res.contents and (res.contents.value or vim.inspect(res.contents))
          return value ~= nil
        end, 50)
        return value
      end
    end
  end
  out({ step = "hover-ref", value = hover_at(bufnr, "outputs.model", 9) or "" })
  vim.cmd("edit " .. vim.fn.fnameescape(ws .. "/components/train.yaml"))
  local comp = vim.api.nvim_get_current_buf()
  vim.wait(10000, function() return #vim.lsp.get_clients({ bufnr = comp, name = "param_lsp" }) > 0 end, 10)
  out({ step = "hover-template", value = hover_at(comp, "{{ learning_rate }}", 4) or "" })

  -- 5. The index command, called as the README documents it for Neovim 0.11.
  local answer
  -- (a handler added to read the answer; the README's call has none)
  vim.lsp.get_clients({ name = "param_lsp" })[1]:exec_cmd(
    { command = "param-lsp.indexWorkspace" }, nil, function(_, result) answer = result end)
  vim.wait(10000, function() return answer ~= nil end, 20)
  out({ step = "index-command", answer = answer or vim.NIL })

  vim.lsp.stop_client(client.id)
  out({ ok = true })
end)
if not ok then fail(tostring(err)) end
vim.cmd("qall!")
