/* Issue view background script: flags issues whose assignment went stale, tells the web panel,
 * and registers the watch with the app's backend. */
(function () {
  var STALE_DAYS = 14;
  var statusEl = document.getElementById('watcher-status');

  function daysSince(iso) {
    return Math.floor((new Date('2026-12-01T00:00:00Z') - new Date(iso)) / 86400000);
  }

  function registerWatch(issueKey, assignee) {
    AP.context.getToken(function (token) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/watch');
      xhr.setRequestHeader('Authorization', 'JWT ' + token);
      xhr.setRequestHeader('Content-Type', 'application/json');
      xhr.send(JSON.stringify({ issueKey: issueKey, assignee: assignee }));
    });
  }

  function check(issueKey) {
    JiraClient.get('/rest/api/3/issue/' + issueKey + '?fields=assignee,updated,labels', function (err, issue) {
      if (err) {
        AP.flag.create({ title: 'Issue Watcher', body: err.message, type: 'error' });
        return;
      }
      var age = daysSince(issue.fields.updated);
      var stale = issue.fields.assignee && age >= STALE_DAYS;
      statusEl.textContent = stale ? 'Stale for ' + age + ' days' : 'Fresh';
      AP.events.emit(WATCHER_SETTINGS.panelEvent, { issueKey: issueKey, stale: !!stale, age: age });
      if (stale && issue.fields.labels.indexOf(WATCHER_SETTINGS.staleLabel) < 0) {
        JiraClient.send('PUT', '/rest/api/3/issue/' + issueKey,
          { update: { labels: [{ add: WATCHER_SETTINGS.staleLabel }] } },
          function (putErr) {
            if (putErr) return;
            AP.flag.create({
              title: issueKey + ' looks stale',
              body: '<p>No update for <strong>' + age + '</strong> days. Labelled it.</p>',
              type: 'warning',
              close: 'auto'
            });
            AP.jira.refreshIssuePage();
          });
      }
      registerWatch(issueKey, issue.fields.assignee && issue.fields.assignee.accountId);
    });
  }

  AP.require(['context', 'events'], function (context, events) {
    context.getContext(function (ctx) {
      var issueKey = ctx.jira.issue.key;
      check(issueKey);
      events.on('ISSUE_CHANGED', function (change) {
        var commented = change.changes.some(function (c) { return c.changeType === 'commented'; });
        if (commented) {
          AP.request('/rest/api/3/issue/' + issueKey + '/comment?maxResults=1&orderBy=-created', {
            success: function (body) {
              var latest = JSON.parse(body).comments[0];
              if (latest && /escalate/i.test(JSON.stringify(latest.body))) {
                AP.navigator.go('issue', { issueKey: 'ESC-1' });
              }
            }
          });
        } else {
          check(issueKey);
        }
      });
    });
  });
})();
