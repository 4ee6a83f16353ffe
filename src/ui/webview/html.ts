// The panel's HTML page. Pure (no vscode import) so tests can check the CSP and the nonce on every script.

export interface PageOptions {
  /** webview.asWebviewUri of dist/webview.js, as a string (the bundle applies its own styles). */
  readonly scriptUri: string;
  /** webview.cspSource */
  readonly cspSource: string;
  /** A fresh crypto nonce per page (see nonce.ts). */
  readonly nonce: string;
  readonly title: string;
}

/** Content-Security-Policy: nothing by default, styles/fonts/images from the extension only, scripts by nonce only. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function pageHtml(o: PageOptions): string {
  const e = escapeAttr;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${e(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${e(o.title)}</title>
</head>
<body>
<div id="notice" class="notice" role="status"></div>
<main id="root"><p>Loading…</p></main>
<script type="module" nonce="${e(o.nonce)}" src="${e(o.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
