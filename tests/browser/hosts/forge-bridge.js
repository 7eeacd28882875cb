/* A recording fake Forge host for the equivalence harness.
 *
 * @forge/bridge 7 reaches its host only through window.__bridge.callBridge(name, payload), and
 * reads it when the bundle loads: the harness installs this with page.addInitScript, before any
 * page script. It answers from the same scenario (window.__scenario) as the fake Connect host and
 * reports each call with an effect, raw, through window.__record. */
(function () {
  'use strict';
  var scenario = window.__scenario || {};
  var ctx = scenario.context || {};
  var forgeType = (scenario.module && scenario.module.forgeType) || 'jira:issueViewBackgroundScript';

  function record(api, data) {
    window.__record(Object.assign({ host: 'forge', api: api }, data || {}));
  }

  var subscriptions = { on: {}, onPublic: {} };
  window.__deliverForgeEvent = function (name, payload, isPublic) {
    ((subscriptions[isPublic ? 'onPublic' : 'on'])[name] || []).slice().forEach(function (cb) { cb(payload); });
  };

  function forgeContext() {
    var extension = { type: forgeType };
    if (ctx.issue) extension.issue = { id: String(ctx.issue.id), key: ctx.issue.key, type: ctx.issue.typeName || 'Task', typeId: String(ctx.issue.typeId) };
    if (ctx.project) extension.project = { id: String(ctx.project.id), key: ctx.project.key, type: ctx.project.type || 'software' };
    if (ctx.board) extension.board = { id: String(ctx.board.id), type: ctx.board.type || 'scrum' };
    if (ctx.dashboard) extension.dashboard = { id: String(ctx.dashboard.id) };
    if (ctx.gadget) extension.gadget = { id: String(ctx.gadget.id) };
    if (ctx.content) extension.content = { id: String(ctx.content.id), type: ctx.content.type };
    if (ctx.space) extension.space = { id: String(ctx.space.id), key: ctx.space.key };
    // A gadget's edit entry point, a macro's parameters and body, a modal's context.
    if (scenario.gadgetEdit) extension.entryPoint = 'edit';
    if (scenario.macro) {
      extension.config = scenario.macro.params || {};
      if (scenario.macro.adfBody) extension.macro = { body: scenario.macro.adfBody };
    }
    if (scenario.dialog) extension.modal = scenario.dialog.customData === undefined ? {} : scenario.dialog.customData;
    var c = {
      accountId: ctx.accountId, cloudId: ctx.cloudId || 'cloud-1', siteUrl: ctx.siteUrl || 'https://example.atlassian.net',
      locale: ctx.locale, timezone: ctx.timezone, moduleKey: scenario.module && scenario.module.key,
      localId: (ctx.macro && ctx.macro.id) || 'local-1', environmentType: 'DEVELOPMENT', extension: extension
    };
    if (ctx.license) c.license = ctx.license;
    return c;
  }

  // A reply with "times": n answers n calls, then the next reply for the same call answers.
  var used = [];
  function findReply(method, path) {
    var replies = scenario.rest || [];
    for (var i = 0; i < replies.length; i++) {
      var r = replies[i];
      if ((r.method || 'GET').toUpperCase() !== method || r.path !== path) continue;
      if (r.times !== undefined && (used[i] || 0) >= r.times) continue;
      used[i] = (used[i] || 0) + 1;
      return r;
    }
    return null;
  }

  var handlers = {
    getContext: function () { return forgeContext(); },
    fetchProduct: function (p) {
      var init = p.fetchRequestInit || {};
      var method = String(init.method || 'GET').toUpperCase();
      record('fetchProduct', { product: p.product, method: method, path: p.restPath, body: init.body === undefined ? null : init.body });
      var reply = findReply(method, p.restPath) || { status: 404, statusText: 'Not Found', body: { errorMessages: ['no canned reply in the scenario'] } };
      var status = reply.status || 200;
      return {
        status: status,
        statusText: reply.statusText || (status < 300 ? 'OK' : 'Error'),
        headers: reply.headers || { 'content-type': 'application/json' },
        body: typeof reply.body === 'string' ? reply.body : (reply.body === undefined ? '' : JSON.stringify(reply.body)),
        isAttachment: false
      };
    },
    fetchRemote: function (p) { record('fetchRemote', { remoteKey: p.remoteKey, init: p.fetchRequestInit }); return { status: 200, statusText: 'OK', headers: {}, body: '' }; },
    invoke: function (p) { record('invoke', { payload: p }); return { success: true, payload: {} }; },
    on: function (p) { return subscribe('on', p); },
    onPublic: function (p) { return subscribe('onPublic', p); },
    emit: function (p) { record('emit', { event: p.event, payload: p.payload }); },
    emitPublic: function (p) { record('emitPublic', { event: p.event, payload: p.payload }); },
    showFlag: function (p) { record('showFlag', { id: p.id, title: p.title, type: p.type, description: p.description }); return true; },
    closeFlag: function (p) { record('closeFlag', { id: p.id }); return true; },
    navigate: function (p) { record('navigate', { location: p }); },
    reload: function () { record('reload'); },
    refresh: function () { record('refresh'); return true; },
    enableTheming: function () { return true; },
    openModal: function (p) {
      record('openModal', { resource: p.resource, context: p.context === undefined ? null : p.context });
      window.__closeForgeModal = function (payload) { p.onClose(payload); };
      return true;
    },
    close: function (p) { record('close', { payload: p === undefined ? null : p }); return true; },
    submit: function (p) { record('submit', { payload: p === undefined ? null : p }); return true; },
    openIssueCreateModal: function (p) {
      var data = p.data || {};
      record('openIssueCreateModal', { context: data.context || {} });
      setTimeout(function () { data.onClose({ payload: (scenario.createdIssues || []).map(function (i) { return { issueId: i.id }; }) }); }, 0);
      return true;
    },
    setWorkflowRuleConfigurationCallback: function () { return true; },
    // A module with pages: the route Forge opened it at (the scenario's `route`, else the
    // module's own URL), relative to the module's URL as Forge's history gives it.
    createHistory: function () {
      var listeners = [];
      // The host keeps the route, not the frame: a document the frame loads later (the page the
      // router went to) gets the route the host shows now.
      var kept = null;
      try { kept = sessionStorage.getItem('__forgeRoute'); } catch (_) { kept = null; }
      var history = {
        action: 'POP',
        location: { pathname: kept || scenario.route || '/', search: '', hash: '', state: undefined },
        listen: function (cb) {
          listeners.push(cb);
          return function () { var i = listeners.indexOf(cb); if (i >= 0) listeners.splice(i, 1); };
        },
        push: function (path) { record('historyPush', { path: path }); },
        replace: function (path) { record('historyReplace', { path: path }); }
      };
      // The sidebar shows another page: the host changes the route and tells the listeners.
      window.__forgeRoute = function (pathname) {
        try { sessionStorage.setItem('__forgeRoute', pathname); } catch (_) { /* kept in this document only */ }
        history.location = { pathname: pathname, search: '', hash: '', state: undefined };
        listeners.slice().forEach(function (cb) { cb(history.location, 'PUSH'); });
      };
      return history;
    }
  };

  function subscribe(kind, p) {
    var list = subscriptions[kind][p.event] = subscriptions[kind][p.event] || [];
    list.push(p.callback);
    return { unsubscribe: function () { var i = list.indexOf(p.callback); if (i >= 0) list.splice(i, 1); } };
  }

  window.__bridge = {
    callBridge: function (name, payload) {
      var handler = handlers[name];
      if (!handler) {
        record('unknown', { name: name });
        return Promise.reject(new Error('fake Forge host: no bridge call ' + name));
      }
      // Recorded now, in call order (as the host receives the bridge's messages); answered later.
      var result = handler(payload);
      return new Promise(function (resolve) {
        setTimeout(function () { resolve(result); }, 0);
      });
    }
  };
})();
