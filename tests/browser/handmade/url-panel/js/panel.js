/* HARNESS SELF-TEST ONLY. A dialog of the app and Jira's create issue dialog. */
AP.require('_util', function (util) {
  AP.events.emit('panel.util', [util.isFunction(util.each), util.trim('  x  ')]);
});
var picker = AP.dialog.create({ key: 'pick-user', size: 'medium', customData: { issueKey: getUrlParam('issueKey') } });
picker.on('close', function (result) {
  AP.events.emit('panel.picked', result);
  AP.jira.openCreateIssueDialog(function (issues) {
    AP.events.emit('panel.created', issues.map(function (i) { return i.id; }));
  }, { pid: 10000, issueType: 10001, fields: { summary: 'Follow-up of ' + getUrlParam('issueKey') } });
});
