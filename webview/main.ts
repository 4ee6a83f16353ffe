// The webview front end (plan and backups views) arrives with the "Plan Upgrade" issue; this entry keeps the
// two-bundle build in place so the host can load dist/webview.js.
export {};
