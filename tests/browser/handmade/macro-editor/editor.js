/* HARNESS SELF-TEST ONLY. Reads the macro's parameters, saves new ones on Submit. */
var pageId = new RegExp('pageId=([^&]*)').exec(location.search)[1];
AP.require(['confluence', 'dialog', 'request'], function (confluence, dialog, request) {
  confluence.getMacroData(function (params) {
    AP.events.emit('editor.params', params);
    document.getElementById('color').value = params.color === 'red' ? 'blue' : 'red';
  });
  confluence.getContentProperty('chart-data', function (property) {
    AP.events.emit('editor.property', property ? [property.value, property.version.number] : 'none');
    request({ url: '/rest/api/content/' + pageId + '?expand=version', success: function (body) {
      AP.events.emit('editor.page', JSON.parse(body).title);
    } });
  });
  dialog.getButton('submit').bind(function () {
    confluence.saveMacro({ color: document.getElementById('color').value, page: pageId });
    confluence.closeMacroEditor();
    return true;
  });
});
