/* Small wrapper over AP.request shared by the app's pages (a global, loaded before the page code). */
var JiraClient = {
  get: function (path, done) {
    AP.require('request', function (request) {
      request({
        url: path,
        type: 'GET',
        success: function (body) {
          done(null, JSON.parse(body));
        },
        error: function (xhr, statusText, errorThrown) {
          done(new Error('GET ' + path + ' failed: ' + xhr.status + ' ' + errorThrown));
        }
      });
    });
  },
  send: function (method, path, data, done) {
    AP.request({
      url: path,
      type: method,
      contentType: 'application/json',
      data: JSON.stringify(data),
      success: function (body, statusText, xhr) {
        done(null, xhr.status);
      },
      error: function (xhr) {
        done(new Error(method + ' ' + path + ' failed: ' + xhr.status));
      }
    });
  }
};
