/* Web panel (still a Connect iframe): shows what the background watcher found. */
AP.events.on('issue-watcher.status', function (status) {
  document.getElementById('panel-status').textContent =
    status.stale ? 'Stale for ' + status.age + ' days' : 'Assignment is fresh';
  AP.resize();
});
