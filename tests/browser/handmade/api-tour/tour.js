/* HARNESS SELF-TEST ONLY. Walks the Connect API support table (HELPERS.md) in Connect's callback
 * and promise styles; every observation becomes an emitted event ('tour.<what>'), so the harness
 * compares the answers the page got, not only the calls it made. */
function report(what, value) {
  AP.events.emit('tour.' + what, value === undefined ? '(undefined)' : value);
}

function requestWith(options) {
  return new Promise(function (done) {
    options.success = function (body, statusText, xhr) {
      done({ ok: true, body: JSON.parse(body), statusText: statusText, status: xhr.status,
        header: xhr.getResponseHeader('X-Tour'), same: xhr.responseText === body });
    };
    options.error = function (xhr, statusText) {
      done({ ok: false, status: xhr.status, statusText: statusText, body: JSON.parse(xhr.responseText) });
    };
    AP.request(options);
  });
}

(async function () {
  AP.require('request', function (request) { report('require-one', typeof request); });
  AP.require(['events', 'context', 'flag'], function (events, context, flag) {
    report('require-list', [typeof events.on, typeof context.getContext, typeof flag.create]);
  });

  AP.context.getContext(function (c) { report('context-callback', c); });
  report('context-promise', await AP.context.getContext());
  AP.user.getLocale(function (l) { report('locale', l); });
  report('timezone', await AP.user.getTimeZone());
  report('user', await AP.user.getCurrentUser());

  report('request-success', await requestWith({ url: '/rest/api/3/myself' }));
  report('request-error', await requestWith({ url: '/rest/api/3/issue/NOPE-1' }));
  report('request-query', await requestWith({ url: '/rest/api/3/search/jql', data: { jql: 'project = TOUR', maxResults: 1 } }));
  report('request-post', await requestWith({ url: '/rest/api/3/issue/TOUR-1/comment', type: 'POST', contentType: 'application/json', data: JSON.stringify({ body: 'tour' }) }));
  var answer = await AP.request('/rest/api/3/myself');
  report('request-promise', { body: JSON.parse(answer.body), status: answer.xhr.status });
  try {
    await AP.request('/rest/api/3/issue/NOPE-1');
    report('request-reject', 'resolved');
  } catch (e) {
    report('request-reject', { status: e.xhr.status, err: typeof e.err });
  }

  var pings = 0;
  AP.events.once('tour.ping', function (payload) { report('once', payload); });
  var removed = function () { report('removed-listener-ran', true); };
  AP.events.on('tour.ping', removed);
  AP.events.off('tour.ping', removed);
  AP.events.on('tour.ping', function (payload) { pings += 1; report('on', { payload: payload, pings: pings }); });
  AP.events.on('tour.gone', function () { report('offAll-listener-ran', true); });
  AP.events.offAll('tour.gone');
  AP.events.onAny(function (name) { if (name.indexOf('tour.') === 0 && name !== 'tour.ping') report('any', name); });
  AP.events.onPublic('tour.public-ping', function (payload) { report('onPublic', payload); });
  AP.events.emitPublic('tour.public-hello', { from: 'tour' });
  AP.events.emit('tour.two-args', 'a', 2);

  var flag = AP.flag.create({ title: 'Tour flag', body: '<b>bold</b> text', type: 'success' });
  report('flag-close', typeof flag.close);
  AP.flag.create({ title: 'Default type' });
  AP.navigator.go('issue', { issueKey: 'TOUR-2' });
  AP.navigator.go('dashboard', { dashboardId: '10000' });
  AP.navigator.go('projectAdminSummary', { projectKey: 'TOUR' });
  AP.navigator.go('site', { relativeUrl: '/jira/your-work' });
  AP.navigator.reload();
  AP.jira.refreshIssuePage();
  AP.resize();
  AP.sizeToParent();
  AP.hideFooter();
  AP.cookie.save('tour', 'v1', 1);
  AP.cookie.read('tour', function (v) { report('cookie', v); });

  // Unsupported on Forge: the page goes on; callbacks get no value, promises reject.
  AP.context.getToken(function (token) { report('token-callback', token === undefined ? 'none' : 'a token'); });
  var token;
  try {
    await AP.context.getToken();
    token = 'resolved';
  } catch (e) {
    token = 'rejected';
  }
  report('token-promise', token);
  AP.host.getSelectedText(function (text) { report('selected-text', text === undefined ? 'none' : typeof text); });
  var calls = {};
  ['AP.messages.info', 'AP.inlineDialog.hide', 'AP.scrollPosition.setVerticalPosition', 'AP.confluence.getMacroData'].forEach(function (name) {
    var parts = name.split('.');
    try {
      AP[parts[1]][parts[2]](function () {});
      calls[name] = 'returned';
    } catch (e) {
      calls[name] = 'threw';
    }
  });
  report('other-modules', calls);
  report('done', true);
})();
