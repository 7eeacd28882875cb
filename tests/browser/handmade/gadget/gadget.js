/* HARNESS SELF-TEST ONLY. Renders from its dashboard item property; edits it when asked. */
var q = new URLSearchParams(location.search);
var base = '/rest/api/3/dashboard/' + q.get('dashboardId') + '/items/' + q.get('dashboardItemId') + '/properties/config';
AP.request({ url: base, success: function (body) {
  var config = JSON.parse(body).value;
  document.getElementById('view').textContent = config.jql;
  AP.jira.setDashboardItemTitle('Issues: ' + config.jql);
  AP.events.emit('gadget.view', config.jql);
} });
AP.require(['jira'], function (jira) {
  jira.DashboardItem.onDashboardItemEdit(function () {
    AP.events.emit('gadget.editing', true);
    AP.request({ url: base, type: 'PUT', contentType: 'application/json', data: JSON.stringify({ jql: 'project = DEMO ORDER BY updated' }) });
  });
});
