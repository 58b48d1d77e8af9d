import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const CONSOLE_CSP = [
  "default-src 'self'", "connect-src 'self' ws: wss:", "img-src 'self' data: blob:", "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'", "frame-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'",
].join('; ');

const notBuilt = (what: string) => `<!doctype html><meta charset="utf-8"><title>Omniline</title><p>The ${what} is not built yet: run <code>npm run build</code>.</p>`;

/** The console (single-page app), the widget bundle and the demo page. */
export function mountStaticAssets(app: Express, demoKey: () => Promise<string | null>): void {
  const consoleDir = path.join(root, 'dist/console');
  const widget = path.join(root, 'dist/widget.js');

  app.get('/widget.js', (_req, res) => {
    if (!existsSync(widget)) return void res.status(503).type('text/plain').send('// widget not built: run npm run build');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.sendFile(widget);
  });

  app.get('/demo', async (_req, res, next) => {
    try {
      const key = await demoKey();
      if (!key) return void res.status(404).type('text/plain').send('No enabled site chat channel: create one in Settings → Channels.');
      const html = readFileSync(path.join(root, 'demo/index.html'), 'utf8').replaceAll('__OMNILINE_WIDGET_KEY__', key);
      res.type('html').send(html);
    } catch (err) {
      next(err);
    }
  });

  app.use('/assets', express.static(path.join(consoleDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(consoleDir, { index: false }));
  // Every other page is the console's own route.
  app.get(/^\/(?!api\/|hooks\/|socket\.io\/).*/, (_req, res) => {
    const index = path.join(consoleDir, 'index.html');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    if (!existsSync(index)) return void res.status(503).type('html').send(notBuilt('operator console'));
    res.sendFile(index);
  });
}
