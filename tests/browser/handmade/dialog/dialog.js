/* HARNESS SELF-TEST ONLY. The dialog answers its opener with the user's choice. */
AP.dialog.getCustomData(function (data) {
  AP.events.emit('dialog.data', data);
});
AP.dialog.getButton('submit').bind(function () {
  var choice = document.getElementById('choice').value;
  AP.events.emit('dialog.chosen', choice);
  AP.dialog.close({ choice: choice });
  return false;
});
