-- param-lsp's pipeline graph and code lenses in Neovim >= 0.11 (after the config above).

-- Code lenses: "Show pipeline graph" above `operations:`, "1 upstream · 2 downstream" above ops.
vim.api.nvim_create_autocmd({ "LspAttach", "InsertLeave", "TextChanged" }, {
  callback = function(args)
    if #vim.lsp.get_clients({ bufnr = args.buf, name = "param_lsp" }) > 0 then
      vim.lsp.codelens.refresh({ bufnr = args.buf })
    end
  end,
})

-- The graph of a polyaxonfile in a split: Mermaid (default), DOT or JSON.
local function show_graph(bufnr, format)
  local client = vim.lsp.get_clients({ bufnr = bufnr, name = "param_lsp" })[1]
  if not client then return vim.notify("param-lsp is not attached", vim.log.levels.WARN) end
  local params = { command = "param-lsp.graph", arguments = { vim.uri_from_bufnr(bufnr), format } }
  client:request("workspace/executeCommand", params, function(err, result)
    if err then return vim.notify(err.message, vim.log.levels.ERROR) end
    local text = type(result) == "string" and result or vim.json.encode(result)
    vim.cmd("botright new")
    vim.api.nvim_buf_set_lines(0, 0, -1, false, vim.split(text, "\n", { trimempty = true }))
    vim.bo.buftype, vim.bo.bufhidden = "nofile", "wipe"
    vim.bo.filetype = ({ mermaid = "mermaid", dot = "dot", json = "json" })[format]
  end, bufnr)
end

-- :PipelineGraph [mermaid|dot|json]
vim.api.nvim_create_user_command("PipelineGraph", function(opts)
  show_graph(vim.api.nvim_get_current_buf(), opts.args ~= "" and opts.args or "mermaid")
end, { nargs = "?", complete = function() return { "mermaid", "dot", "json" } end })

-- Running a code lens (vim.lsp.codelens.run()) opens the graph too.
vim.lsp.commands["param-lsp.graph"] = function(command, ctx)
  show_graph(ctx.bufnr, command.arguments and command.arguments[2] or "mermaid")
end
