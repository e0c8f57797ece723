// A small static file server for the built page, on 127.0.0.1 at a free port.
// It mounts dist/ under a sub-path, so the tests also prove the page works off the site root.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * Serves `root` under `prefix` (e.g. "/playground/"); resolves to { url, close }.
 * `headers` are added to every response (e.g. a Content-Security-Policy).
 */
export async function serveDir(root, prefix = '/', { headers = {} } = {}) {
  const rootDir = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      const { pathname } = new URL(req.url, 'http://localhost');
      if (!pathname.startsWith(prefix)) {
        return send(res, headers, 404, 'text/plain', `not under ${prefix}`);
      }
      let rel = decodeURIComponent(pathname.slice(prefix.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(rootDir, rel);
      if (file !== rootDir && !file.startsWith(rootDir + path.sep)) {
        return send(res, headers, 403, 'text/plain', 'outside the served folder');
      }
      if (!(await stat(file).catch(() => null))?.isFile()) {
        return send(res, headers, 404, 'text/plain', `no such file: ${rel}`);
      }
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      send(res, headers, 200, type, await readFile(file));
    } catch (err) {
      send(res, headers, 500, 'text/plain', String(err));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function send(res, extra, status, type, body) {
  // Any origin may load the files, as from a CDN (the embedding tests load the
  // <raft-playground> module from another origin).
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'access-control-allow-origin': '*', ...extra });
  res.end(body);
}
