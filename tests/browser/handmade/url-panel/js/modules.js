/* HARNESS SELF-TEST ONLY. The page's own AMD modules, required before they are defined, once the
   page has loaded. */
window.addEventListener('load', function () {
  AP.events.emit('panel.load', document.readyState);
  AP.require(['panel/summary', 'messages'], function (summary, messages) {
    summary.load(function (text) {
      document.getElementById('status').textContent = text;
      messages.success('Loaded', text);
    });
  });
});
AP.define('panel/summary', ['request', 'panel/config'], function (request, config) {
  return {
    load: function (done) {
      request({
        url: '/rest/api/3/issue/' + config.issueKey + '?fields=summary',
        success: function (body) { done(JSON.parse(body).fields.summary); }
      });
    }
  };
});
AP.define('panel/config', [], function () {
  return { issueKey: getUrlParam('issueKey') };
});
