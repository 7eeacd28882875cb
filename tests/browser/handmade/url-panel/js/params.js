/* HARNESS SELF-TEST ONLY. The query string, read the ways Connect pages read it. */
function getUrlParam(name) {
  // Throws a TypeError when the parameter is missing, as many pages' helpers do.
  return decodeURIComponent(new RegExp(name + '=([^&]*)').exec(window.location.search)[1]);
}
AP.events.emit('panel.params', {
  issueKey: getUrlParam('issueKey'), projectKey: getUrlParam('projectKey'), mode: getUrlParam('mode'),
  xdm_e: getUrlParam('xdm_e'), cp: getUrlParam('cp'), lic: getUrlParam('lic'), tz: getUrlParam('tz'), loc: getUrlParam('loc'),
  addon: getUrlParam('xdm_deprecated_addon_key_do_not_use')
});
document.addEventListener('DOMContentLoaded', function () {
  AP.events.emit('panel.dcl', new URLSearchParams(location.search).get('issueKey'));
});
