// A recording fake of @forge/jira-bridge for tests/compat_template.rs (see forge-bridge.mjs).
const calls = (globalThis.__calls = globalThis.__calls || []);
const record = (api, data) => calls.push({ api, ...(data || {}) });

globalThis.__createIssueModals = [];
export class CreateIssueModal {
  constructor(opts) {
    this.opts = opts || {};
  }
  async open() {
    record('CreateIssueModal.open', { context: this.opts.context });
    globalThis.__createIssueModals.push(this.opts);
  }
}

export const workflowRules = {
  onConfigure: async (fn) => {
    record('workflowRules.onConfigure');
    globalThis.__onConfigure = fn;
  },
};
