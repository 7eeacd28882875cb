/* Dashboard background script: counts the team's open bugs and tells the gadgets. */
AP.require('events', function (events) {
  function refresh() {
    JiraClient.get('/rest/api/3/search/jql?jql=' + encodeURIComponent('type = Bug AND statusCategory != Done') + '&maxResults=0', function (err, result) {
      if (err) return;
      events.emit('team-dashboard.bugs', { open: result.total });
      if (result.total > 50) {
        AP.flag.create({ title: 'Bug count is high', body: result.total + ' open bugs', type: 'warning' });
      }
    });
  }
  events.on('team-dashboard.refresh-requested', refresh);
  refresh();
});
