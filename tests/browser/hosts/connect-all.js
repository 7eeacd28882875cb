/* A recording fake of Atlassian Connect's all.js for the equivalence harness.
 *
 * It defines window.AP as Connect's host answers a page: canned context and REST replies from the
 * scenario (window.__scenario, set by the harness before any page script), callbacks and promises
 * answered asynchronously as the host's postMessage answers are. Every call with an effect on the
 * product is reported to the harness through window.__record (a Playwright binding), raw: the
 * harness normalises Connect and Forge records into one effect list. */
(function () {
  'use strict';
  var scenario = window.__scenario || {};
  var ctx = scenario.context || {};

  function record(api, data) {
    window.__record(Object.assign({ host: 'connect', api: api }, data || {}));
  }

  function lastFunction(args) {
    var last = args[args.length - 1];
    return typeof last === 'function' ? last : null;
  }

  /** A Connect getter: callback (last argument) and promise, both answered by the host's reply. */
  function answer(value) {
    return function () {
      var callback = lastFunction(arguments);
      return new Promise(function (resolve) {
        setTimeout(function () {
          if (callback) callback(value);
          resolve(value);
        }, 0);
      });
    };
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

  function xhrFor(status, statusText, text, headers) {
    var h = {};
    Object.keys(headers || {}).forEach(function (k) { h[k.toLowerCase()] = headers[k]; });
    return {
      readyState: 4, status: status, statusText: statusText, responseText: text, response: text,
      getResponseHeader: function (name) { var v = h[String(name).toLowerCase()]; return v === undefined ? null : v; },
      getAllResponseHeaders: function () { return Object.keys(h).map(function (k) { return k + ': ' + h[k] + '\r\n'; }).join(''); }
    };
  }

  function request(urlOrOptions, maybeOptions) {
    var o = typeof urlOrOptions === 'string' ? Object.assign({}, maybeOptions || {}, { url: urlOrOptions }) : Object.assign({}, urlOrOptions || {});
    var method = String(o.type || 'GET').toUpperCase();
    var path = o.url;
    var body = null;
    if (method === 'GET' && o.data !== undefined && o.data !== null) {
      var q = typeof o.data === 'string' ? o.data : new URLSearchParams(o.data).toString();
      if (q) path += (path.indexOf('?') >= 0 ? '&' : '?') + q;
    } else if (o.data !== undefined && o.data !== null) {
      // jQuery.ajax (processData) form-encodes an object, whatever the contentType says.
      body = typeof o.data === 'string' ? o.data : new URLSearchParams(o.data).toString();
    }
    record('request', { method: method, path: path, body: body });
    // A Confluence module's REST paths are under the site's /wiki context path.
    var type = String((scenario.module && scenario.module.forgeType) || '');
    var confluence = type === 'macro' || type.indexOf('confluence:') === 0;
    var reply = findReply(method, confluence && path.indexOf('/rest/') === 0 ? '/wiki' + path : path) || { status: 404, statusText: 'Not Found', body: { errorMessages: ['no canned reply in the scenario'] } };
    var text = typeof reply.body === 'string' ? reply.body : (reply.body === undefined ? '' : JSON.stringify(reply.body));
    var status = reply.status || 200;
    var statusText = reply.statusText || (status < 300 ? 'OK' : 'Error');
    var xhr = xhrFor(status, statusText, text, reply.headers || { 'Content-Type': 'application/json' });
    var ok = (status >= 200 && status < 300) || status === 304;
    // One reply answers both styles: the callback, then the promise.
    var p = new Promise(function (resolve, reject) {
      setTimeout(function () {
        if (ok) {
          if (typeof o.success === 'function') o.success(text, 'success', xhr);
          resolve({ body: text, xhr: xhr });
        } else {
          if (typeof o.error === 'function') o.error(xhr, 'error', statusText);
          reject({ err: statusText, xhr: xhr });
        }
      }, 0);
    });
    // As all.js's bridge does for every method that returns a promise (atlassian-connect-js
    // iframe.js: xdmPromise.catch(... util.warn('Failed promise: ' + err))): a rejection the page
    // does not handle is a warning, never an unhandled rejection.
    p.catch(function (err) { console.warn('Failed promise: ' + err); });
    return p;
  }

  function bus(isPublic) {
    var suffix = isPublic ? 'Public' : '';
    var named = {};
    var any = [];
    function deliver(name, args) {
      var info = { name: name, args: args };
      (named[name] || []).slice().forEach(function (e) {
        if (e.once) named[name].splice(named[name].indexOf(e), 1);
        e.fn.apply(null, args.concat([info]));
      });
      any.slice().forEach(function (e) {
        if (e.once) any.splice(any.indexOf(e), 1);
        e.fn.apply(null, [name].concat(args, [info]));
      });
    }
    var m = { deliver: deliver, methods: {} };
    m.methods['on' + suffix] = function (n, fn) { (named[n] = named[n] || []).push({ fn: fn }); };
    m.methods['once' + suffix] = function (n, fn) { (named[n] = named[n] || []).push({ fn: fn, once: true }); };
    m.methods['off' + suffix] = function (n, fn) { var l = named[n] || []; for (var i = 0; i < l.length; i++) if (l[i].fn === fn) { l.splice(i, 1); break; } };
    m.methods['offAll' + suffix] = function (n) { if (n === undefined) named = {}; else delete named[n]; };
    m.methods['onAny' + suffix] = function (fn) { any.push({ fn: fn }); };
    m.methods['offAny' + suffix] = function (fn) { for (var i = 0; i < any.length; i++) if (any[i].fn === fn) { any.splice(i, 1); break; } };
    m.methods['emit' + suffix] = function (n) { record('events.emit' + suffix, { event: n, args: Array.prototype.slice.call(arguments, 1) }); };
    return m;
  }
  var privateBus = bus(false);
  var publicBus = bus(true);
  // The harness delivers product and app events through these.
  window.__deliverConnectEvent = function (name, args, isPublic) { (isPublic ? publicBus : privateBus).deliver(name, args || []); };

  var issue = ctx.issue;
  var connectContext = { jira: {} };
  if (issue) connectContext.jira.issue = { id: String(issue.id), key: issue.key, issuetype: { id: String(issue.typeId) } };
  if (ctx.project) connectContext.jira.project = { id: String(ctx.project.id), key: ctx.project.key };
  if (ctx.dashboard) connectContext.jira.dashboard = { id: String(ctx.dashboard.id) };
  if (ctx.content || ctx.space) {
    connectContext = { confluence: {} };
    if (ctx.content) connectContext.confluence.content = { id: String(ctx.content.id), type: ctx.content.type };
    if (ctx.space) connectContext.confluence.space = { id: String(ctx.space.id), key: ctx.space.key };
  }
  if (ctx.license) connectContext.license = { active: ctx.license.isActive === true };

  var flagCount = 0;
  var cookies = {};
  function noop() {}

  // A dialog's chrome (Submit / Cancel) and the page's own buttons; the harness presses them.
  var buttons = {};
  var closeOnSubmit = true;
  function button(name) {
    var b = buttons[name] = buttons[name] || { handlers: [], enabled: true };
    return {
      name: name,
      bind: function (fn) { b.handlers.push(fn); },
      unbind: function (fn) { var i = b.handlers.indexOf(fn); if (i >= 0) b.handlers.splice(i, 1); },
      enable: function () { b.enabled = true; }, disable: function () { b.enabled = false; },
      toggle: function () { b.enabled = !b.enabled; }, isEnabled: answerNow(function () { return b.enabled; }),
      hide: noop, show: noop, trigger: function () { window.__pressConnectButton(name); }
    };
  }
  function answerNow(get) { return function () { return answer(get()).apply(null, arguments); }; }
  // Once the dialog (or macro editor) is closed, a further close has nothing to do.
  var closed = false;
  function closeDialog(data) {
    if (closed) return;
    closed = true;
    record('dialog.close', { data: data === undefined ? null : data });
  }
  window.__pressConnectButton = function (name) {
    var b = buttons[name] || { handlers: [], enabled: true };
    if (!b.enabled) return;
    var keepOpen = false;
    b.handlers.slice().forEach(function (fn) { if (fn({ button: { name: name } }) === false) keepOpen = true; });
    privateBus.deliver('dialog.button.click', [{ button: { name: name } }]);
    if (name === 'submit') privateBus.deliver('dialog.submit', [{ button: { name: name } }]);
    if (name === 'cancel') privateBus.deliver('dialog.cancel', [{ button: { name: name } }]);
    if (name === 'cancel' || (name === 'submit' && closeOnSubmit && !keepOpen)) closeDialog();
  };
  // A configurable dashboard item: the user chose "Configure".
  var editListeners = [];
  window.__connectEditGadget = function () {
    editListeners.slice().forEach(function (fn) { fn(); });
    privateBus.deliver('dashboard-item-edit', []);
  };
  var messageCount = 0;
  function message(type) {
    return function (title) {
      messageCount += 1;
      record('messages', { type: type, title: typeof title === 'string' ? title : null });
      return 'message-' + messageCount;
    };
  }
  var macro = scenario.macro || {};

  var AP = {
    request: request,
    context: {
      getContext: answer(connectContext),
      getToken: answer(scenario.connectJwt || 'header.payload.signature')
    },
    events: Object.assign({}, privateBus.methods, publicBus.methods),
    flag: {
      create: function (o) {
        flagCount += 1;
        var id = 'flag-' + flagCount;
        record('flag.create', { title: o.title, type: o.type || 'info', body: o.body });
        return { _id: id, close: function () { record('flag.close', { title: o.title }); } };
      }
    },
    navigator: {
      go: function (target, context) { record('navigator.go', { target: target, context: context || {} }); },
      reload: function () { record('navigator.reload'); },
      getLocation: answer(scenario.hostUrl || 'https://example.atlassian.net/browse/' + (issue ? issue.key : ''))
    },
    jira: {
      refreshIssuePage: function () { record('jira.refreshIssuePage'); },
      openCreateIssueDialog: function (callback, params) {
        record('jira.openCreateIssueDialog', { params: params || {} });
        setTimeout(function () { callback((scenario.createdIssues || []).map(function (i) { return { id: i.id, key: i.key, fields: {} }; })); }, 0);
      },
      setDashboardItemTitle: function (title) { record('jira.setDashboardItemTitle', { title: title }); },
      isDashboardItemEditable: answer(true),
      DashboardItem: { onDashboardItemEdit: function (fn) { editListeners.push(fn); } },
      // A workflow rule's configuration page: Jira calls these back when the admin saves; a
      // scenario never saves one, so registering is all that happens.
      WorkflowConfiguration: { onSave: noop, onSaveValidation: noop }
    },
    confluence: {
      getMacroData: answer(macro.params || {}),
      getMacroBody: answer(macro.body),
      // Confluence's host reads the property through its REST API for the page, once the
      // page's message reaches it (a later task): the same read, made where it is made.
      getContentProperty: function (key, callback) {
        var content = ctx.content && ctx.content.id;
        setTimeout(function () {
          if (content !== undefined) record('request', { method: 'GET', path: '/rest/api/content/' + content + '/property/' + key, body: null });
        }, 0);
        return answer((macro.properties || {})[key])(callback);
      },
      saveMacro: function (params, body) { record('confluence.saveMacro', { params: params, body: body === undefined ? null : body }); },
      closeMacroEditor: function () { if (!closed) { closed = true; record('confluence.closeMacroEditor'); } }
    },
    user: {
      getCurrentUser: answer({ atlassianAccountId: ctx.accountId }),
      getLocale: answer(ctx.locale),
      getTimeZone: answer(ctx.timezone)
    },
    host: { getSelectedText: answer(''), focus: noop },
    messages: { info: message('info'), success: message('success'), warning: message('warning'), error: message('error'), generic: message('generic'), hint: message('hint'), clear: noop },
    dialog: {
      create: function (o) {
        record('dialog.create', { key: o && o.key, customData: (o && o.customData) || null });
        var handlers = [];
        window.__closeConnectDialog = function (data) { handlers.forEach(function (h) { h(data); }); privateBus.deliver('dialog.close', [data]); };
        return { on: function (e, h) { if (e === 'close') handlers.push(h); }, close: noop };
      },
      close: function (data) { closeDialog(data); },
      getCustomData: answerNow(function () { return (scenario.dialog || {}).customData; }),
      getButton: button,
      createButton: function (o) { return button((o && (o.identifier || o.text)) || 'custom'); },
      disableCloseOnSubmit: function () { closeOnSubmit = false; },
      isCloseOnEscape: answer(true)
    },
    theming: { initializeTheming: noop },
    cookie: {
      save: function (name, value) { cookies[name] = value; },
      read: function (name, callback) { return answer(cookies[name])(callback); },
      erase: function (name) { delete cookies[name]; }
    },
    history: { back: noop, forward: noop, go: noop, getState: answer(''), pushState: noop, replaceState: noop },
    scrollPosition: { getPosition: answer({ scrollX: 0, scrollY: 0, width: 0, height: 0 }), setVerticalPosition: noop },
    inlineDialog: { hide: noop },
    resize: noop,
    sizeToParent: noop,
    hideFooter: noop,
    // all.js's own AP.getLocation (the host page's URL), beside AP.navigator.getLocation.
    getLocation: answer(scenario.hostUrl || 'https://example.atlassian.net/browse/' + (issue ? issue.key : ''))
  };
  // Connect's AMD loader: the built-in modules and the page's own AP.define modules.
  var defined = {};
  var waiting = [];
  // The old all.js's helpers for its own modules, as AP.require('_util') gave them.
  var util = {
    each: function (list, fn) { for (var i = 0; i < list.length; i++) if (fn.call(list[i], i, list[i]) === false) break; },
    extend: function (t) { for (var i = 1; i < arguments.length; i++) Object.assign(t, arguments[i]); return t; },
    isFunction: function (f) { return typeof f === 'function'; },
    trim: function (s) { return s === undefined || s === null ? '' : String(s).trim(); }
  };
  function has(n) { return Object.prototype.hasOwnProperty.call(defined, n) || n in AP || n === '_util'; }
  function valueOf(n) {
    var d = defined[n];
    if (n === '_util') return util;
    if (!d) return AP[n];
    if (!d.done) { d.value = typeof d.factory === 'function' ? d.factory.apply(window, d.deps.map(valueOf)) : d.factory; d.done = true; }
    return d.value;
  }
  function ready(n) { return has(n) && (!defined[n] || defined[n].deps.every(ready)); }
  function flush() {
    waiting.slice().forEach(function (w) {
      if (!w.names.every(ready)) return;
      waiting.splice(waiting.indexOf(w), 1);
      w.fn.apply(window, w.names.map(valueOf));
    });
  }
  AP.define = function (name, deps, factory) {
    if (factory === undefined) { factory = deps; deps = []; }
    if (!defined[name]) defined[name] = { deps: deps || [], factory: factory, done: false };
    flush();
  };
  AP.require = function (names, fn) {
    var list = Array.isArray(names) ? names : [names];
    if (typeof fn === 'function') { waiting.push({ names: list, fn: fn }); flush(); }
  };
  window.AP = AP;
})();
