// Stand-in for ms-python.python in the e2e (the real one cannot be installed offline): its
// environments API reports the interpreter named by PARAM_LSP_E2E_SELECTED_PYTHON as selected.
const vscode = require("vscode");

exports.activate = () => {
  const python = process.env.PARAM_LSP_E2E_SELECTED_PYTHON;
  const changed = new vscode.EventEmitter();
  return {
    environments: {
      getActiveEnvironmentPath: () => ({ id: python, path: python }),
      resolveEnvironment: async () => ({ executable: { uri: vscode.Uri.file(python) } }),
      onDidChangeActiveEnvironmentPath: changed.event,
    },
  };
};
