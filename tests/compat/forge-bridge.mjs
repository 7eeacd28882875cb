// A recording fake of @forge/bridge 7 for tests/compat_template.rs: node runs the rendered
// compatibility layer against it. Every call is pushed to globalThis.__calls; answers come from
// globalThis.__context (view.getContext) and globalThis.__replies (requestJira/requestConfluence:
// { "METHOD /path": { status, body, headers } }).
const calls = (globalThis.__calls = globalThis.__calls || []);
const record = (api, data) => calls.push({ api, ...(data || {}) });

function response(reply) {
  const r = reply || { status: 404, statusText: 'Not Found', body: { errorMessages: ['no reply'] } };
  const headers = new Map(Object.entries(r.headers || { 'content-type': 'application/json' }).map(([k, v]) => [k.toLowerCase(), v]));
  const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body === undefined ? '' : r.body);
  return {
    status: r.status || 200,
    statusText: r.statusText || ((r.status || 200) < 300 ? 'OK' : 'Error'),
    headers: { get: (n) => (headers.has(String(n).toLowerCase()) ? headers.get(String(n).toLowerCase()) : null), forEach: (f) => headers.forEach(f) },
    text: async () => text,
  };
}

function product(name) {
  return async (path, init) => {
    const method = ((init && init.method) || 'GET').toUpperCase();
    record(name, { method, path, body: init && init.body !== undefined ? init.body : null, headers: (init && init.headers) || {} });
    return response((globalThis.__replies || {})[`${method} ${path}`]);
  };
}
export const requestJira = product('requestJira');
export const requestConfluence = product('requestConfluence');

const subscriptions = (globalThis.__subscriptions = {});
export const events = {
  on: async (name, cb) => { record('events.on', { name }); (subscriptions[name] = subscriptions[name] || []).push(cb); return { unsubscribe() {} }; },
  onPublic: async (name, cb) => { record('events.onPublic', { name }); (subscriptions[`public:${name}`] = subscriptions[`public:${name}`] || []).push(cb); return { unsubscribe() {} }; },
  emit: async (name, payload) => record('events.emit', { name, payload }),
  emitPublic: async (name, payload) => record('events.emitPublic', { name, payload }),
};
globalThis.__deliver = (name, payload) => (subscriptions[name] || []).forEach((cb) => cb(payload));

export function showFlag(options) {
  record('showFlag', { id: options.id, title: options.title, description: options.description, type: options.type, isAutoDismiss: options.isAutoDismiss });
  return { close: async () => record('closeFlag', { id: options.id }) };
}

export const router = {
  navigate: async (location) => record('router.navigate', { location }),
  open: async (location) => record('router.open', { location }),
  reload: async () => record('router.reload'),
};

export const view = {
  getContext: async () => {
    record('view.getContext');
    if (globalThis.__contextFails) throw new Error('no context');
    return JSON.parse(JSON.stringify(globalThis.__context || {}));
  },
  close: async (payload) => record('view.close', { payload }),
  submit: async (payload) => record('view.submit', { payload }),
  refresh: async () => record('view.refresh'),
  theme: { enable: async () => record('view.theme.enable') },
};

globalThis.__modals = [];
export class Modal {
  constructor(opts) {
    this.opts = opts || {};
  }
  async open() {
    const { resource, size, context, title, closeOnEscape } = this.opts;
    record('Modal.open', { resource, size, context, title, closeOnEscape });
    globalThis.__modals.push(this.opts);
  }
}
