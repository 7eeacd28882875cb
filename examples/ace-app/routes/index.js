// Routes of the Issue Watcher app: two background scripts, a web panel and the app's own API.
const watches = new Map();

module.exports = function routes(app, addon) {
  app.get('/', (req, res) => {
    res.redirect('/atlassian-connect.json');
  });

  // Issue view background script (hidden iframe on every issue).
  app.get('/bg/issue-watcher', addon.authenticate(), (req, res) => {
    res.render('issue-watcher', {
      title: 'Issue Watcher',
      issueKey: req.query.issueKey,
    });
  });

  // Dashboard background script.
  app.get("/bg/dashboard-refresh", addon.authenticate(), function (req, res) {
    res.render("dashboard-refresh", { title: "Team dashboard refresh" });
  });

  // A web panel that stays on Connect for now; it listens to the watcher's events.
  app.get('/panel/watcher', addon.authenticate(), (req, res) => {
    res.render('watcher-panel', { issueKey: req.query.issueKey });
  });

  // The app's own API, called from the background page with the Connect JWT.
  app.post('/api/watch', addon.checkValidToken(), (req, res) => {
    const key = `${req.context.clientKey}:${req.body.issueKey}`;
    watches.set(key, { since: Date.now(), assignee: req.body.assignee });
    res.json({ watching: true });
  });
};
