// The page's styles, applied as a constructable stylesheet (CSSOM: allowed by the CSP without 'unsafe-inline', and
// shipped inside dist/webview.js, the only webview file the .vsix carries). Theme colours only.
export const PAGE_CSS = `
/* Theme colours only (VS Code sets these variables for light, dark and high-contrast themes). */
body {
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
  padding: 0 16px 32px;
  line-height: 1.45;
}
h1 { font-size: 1.5em; font-weight: 600; margin: 16px 0 8px; }
h2 { font-size: 1.2em; font-weight: 600; margin: 20px 0 8px; }
h3 { font-size: 1.05em; font-weight: 600; margin: 12px 0 6px; }
h4 { font-size: 1em; font-weight: 600; margin: 12px 0 4px; }
code, pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre {
  background: var(--vscode-textCodeBlock-background);
  padding: 8px 10px;
  overflow-x: auto;
  white-space: pre;
  margin: 4px 0;
  border: 1px solid var(--vscode-contrastBorder, transparent);
}
.muted { color: var(--vscode-descriptionForeground); }
.fields { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.field .label { color: var(--vscode-descriptionForeground); margin-right: 6px; }
.field .value { font-weight: 600; }
.source { color: var(--vscode-descriptionForeground); margin: 4px 0 0; }
.banner {
  border-left: 4px solid var(--vscode-textLink-foreground);
  background: var(--vscode-textBlockQuote-background);
  padding: 4px 12px;
  margin: 12px 0;
}
.banner.ok { border-left-color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.banner.warning { border-left-color: var(--vscode-editorWarning-foreground); }
.banner.error { border-left-color: var(--vscode-errorForeground); }
.banner h2 { margin: 6px 0 2px; }
.card, .node, .skew-target {
  border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent));
  padding: 4px 12px 12px;
  margin: 12px 0;
}
.buttons { display: flex; gap: 8px; flex-wrap: wrap; margin: 6px 0; }
.command pre { margin-bottom: 4px; }
/* Long commands wrap instead of hiding behind a scroll bar (Copy copies the exact text). */
.command pre { white-space: pre-wrap; overflow-wrap: anywhere; }
details { border: 1px solid var(--vscode-panel-border, var(--vscode-contrastBorder, transparent)); margin: 6px 0; padding: 0 8px; }
details > summary { cursor: pointer; font-weight: 600; padding: 6px 0; overflow-wrap: anywhere; }
details > summary:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 2px; }
details[open] > summary { border-bottom: 1px solid var(--vscode-panel-border, transparent); margin-bottom: 4px; }
.situation .signs { margin: 6px 0; }
.instead { margin-left: 12px; border-left: 2px dashed var(--vscode-panel-border, var(--vscode-contrastBorder, transparent)); padding-left: 8px; }
.note.ok { border-left-color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
.note { padding: 4px 8px; border-left: 3px solid var(--vscode-textLink-foreground); }
.note.warning { border-left-color: var(--vscode-editorWarning-foreground); }
.note.error { border-left-color: var(--vscode-errorForeground); }
.diag.error .message, .manual-flag { color: var(--vscode-errorForeground); }
.diag.warning { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 6px; }
.diag { margin: 6px 0; }
.fix { color: var(--vscode-descriptionForeground); margin-left: 4px; }
.wwc-node { margin: 8px 0 16px; }
vscode-table-row.changed vscode-table-cell.target { font-weight: 600; color: var(--vscode-gitDecoration-modifiedResourceForeground, var(--vscode-foreground)); }
vscode-table-row.manual { outline: 1px solid var(--vscode-errorForeground); }
vscode-table-row.action-before { outline: 1px solid var(--vscode-errorForeground); }
vscode-table { margin: 6px 0; }
/* "What to do" / "Why": whole sentences, wrapped instead of cut with an ellipsis (the cell's own style is nowrap). */
vscode-table-cell.wrap { white-space: normal; height: auto; overflow: visible; text-overflow: clip; padding-top: 4px; padding-bottom: 4px; vertical-align: top; }
ul, ol { padding-left: 20px; }
.step { margin: 10px 0; }
/* Warning colour marks, never colours text: Light+'s editorWarning colour on white is 2.9:1, below WCAG AA's 4.5:1. */
.step.restore .step-title { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 6px; }
.step-title { font-weight: 600; }
.notice { padding: 4px 8px; margin: 8px 0; }
.notice:empty { display: none; }
.notice.error { color: var(--vscode-errorForeground); }
.raw { margin-top: 16px; }
.raw-text { max-height: 480px; overflow: auto; }
.check { margin: 4px 0; }
.check.blocker > summary { border-left: 3px solid var(--vscode-errorForeground); padding-left: 6px; }
.check.warning > summary { border-left: 3px solid var(--vscode-editorWarning-foreground); padding-left: 6px; }
.check-id { color: var(--vscode-descriptionForeground); font-weight: normal; }
.check.not-run { font-style: italic; }
body.vscode-high-contrast .card, body.vscode-high-contrast .node { border-color: var(--vscode-contrastBorder); }
body.vscode-high-contrast vscode-table-row.changed { outline: 1px dashed var(--vscode-contrastActiveBorder); }
`;

export function applyPageStyles(doc: Document): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(PAGE_CSS);
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
}
