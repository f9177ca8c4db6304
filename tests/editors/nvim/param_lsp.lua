-- param-lsp for Neovim >= 0.11 (vim.lsp.config / vim.lsp.enable). Put this file in
-- ~/.config/nvim/plugin/ (or require it from init.lua).

-- Polyaxonfiles get the compound filetype "yaml.polyaxon": YAML syntax and plugins still
-- apply, and only these buffers start param-lsp. By name, and by content for other YAML files.
local polyaxon_markers = {
  "^kind:%s*['\"]?operation%f[^%w_]", "^kind:%s*['\"]?component%f[^%w_]",
  "^params:", "^inputs:", "^outputs:", "^run:", "^component:", "^hubRef:", "^pathRef:",
  "^urlRef:", "^dagRef:", "^matrix:", "^joins:",
}
local function yaml_or_polyaxon(_, bufnr)
  for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, 200, false)) do
    for _, marker in ipairs(polyaxon_markers) do
      if line:find(marker) then return "yaml.polyaxon" end
    end
  end
  return "yaml"
end
vim.filetype.add({
  pattern = {
    [".*/polyaxonfile[^/]*%.ya?ml"] = "yaml.polyaxon",
    [".*%.polyaxon%.ya?ml"] = "yaml.polyaxon",
  },
  extension = { yaml = yaml_or_polyaxon, yml = yaml_or_polyaxon },
})

vim.lsp.config("param_lsp", {
  cmd = { "param-lsp", "serve" },      -- or { "/path/to/venv/bin/python", "-m", "param_lsp", "serve" }
  filetypes = { "yaml.polyaxon" },
  root_markers = { ".param-lsp.toml", "pyproject.toml", ".git" },
  settings = {
    ["param-lsp"] = {
      -- targetVersion = "2.16", strictParams = true,
      -- severity = { PLX303 = "off" }, hubMap = { ["org/trainer:v1"] = "components/trainer.yaml" },
      -- urlMap = { ["https://raw.githubusercontent.com/org/repo/master/"] = "." },
      debounceMs = 30,  -- the default; longer waits are only needed on slow machines
    },
  },
})
vim.lsp.enable("param_lsp")
