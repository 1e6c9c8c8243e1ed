// Serves the demo's own static files (shop, viewer, dist bundles) from fixed folders.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Sends `relativePath` from `folder`, or 404; paths that climb out of the folder are 404 too. */
export async function sendFile(response, folder, relativePath, transform = (text) => text) {
  const path = resolve(folder, `.${sep}${relativePath}`);
  let content;
  try {
    if (!path.startsWith(resolve(folder) + sep)) throw new Error('outside folder');
    content = await readFile(path);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${relativePath}\n`);
    return;
  }
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const body = type.startsWith('text/html') ? transform(content.toString('utf8')) : content;
  // The demo is for development: always serve what is on disk.
  response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}
