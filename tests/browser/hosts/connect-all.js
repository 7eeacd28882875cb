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
    var reply = findReply(method, path) || { status: 404, statusText: 'Not Found', body: { errorMessages: ['no canned reply in the scenario'] } };
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
    if (typeof o.error === 'function') p.catch(function () {});
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
  if (ctx.license) connectContext.license = { active: ctx.license.isActive === true };

  var flagCount = 0;
  var cookies = {};
  function noop() {}
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
    jira: { refreshIssuePage: function () { record('jira.refreshIssuePage'); } },
    user: {
      getCurrentUser: answer({ atlassianAccountId: ctx.accountId }),
      getLocale: answer(ctx.locale),
      getTimeZone: answer(ctx.timezone)
    },
    host: { getSelectedText: answer(''), focus: noop },
    messages: { info: noop, success: noop, warning: noop, error: noop, generic: noop, hint: noop, clear: noop },
    dialog: { create: function (o) { record('dialog.create', { key: o && o.key }); return { on: noop, close: noop }; }, close: noop },
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
    hideFooter: noop
  };
  AP.require = function (names, fn) {
    var list = Array.isArray(names) ? names : [names];
    var modules = list.map(function (n) { return AP[n]; });
    if (typeof fn === 'function') fn.apply(window, modules);
  };
  window.AP = AP;
})();
