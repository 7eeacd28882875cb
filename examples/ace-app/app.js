// Issue Watcher: an atlassian-connect-express app.
const express = require('express');
const bodyParser = require('body-parser');
const hbs = require('express-hbs');
const path = require('path');
const ace = require('atlassian-connect-express');
const routes = require('./routes');

const app = express();
const addon = ace(app);

app.engine('hbs', hbs.express4({ partialsDir: path.join(__dirname, 'views') }));
app.set('view engine', 'hbs');
app.set('views', path.join(__dirname, 'views'));
app.use(bodyParser.json());
app.use(addon.middleware());
app.use(express.static(path.join(__dirname, 'public')));

routes(app, addon);

app.listen(addon.config.port(), () => {
  console.log(`Issue Watcher listening on ${addon.config.port()}`);
  addon.register();
});
