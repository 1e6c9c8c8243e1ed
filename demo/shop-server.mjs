// Serves the demo shop page on its own origin: the page from demo/shop/ (with the collector and api URLs filled
// in), and the library's built bundles under /dist/.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sendFile } from './static-files.mjs';

const SHOP_DIR = fileURLToPath(new URL('./shop/', import.meta.url));
const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * Starts the shop's server. `pageUrls()` returns { collectorUrl, apiUrl } when a page is served: the api is
 * started after this server, since it needs the shop's origin for CORS.
 */
export function startShopServer({ port = 0, host = '127.0.0.1', pageUrls }) {
  const fillIn = (html) => {
    const { collectorUrl, apiUrl } = pageUrls();
    return html.replaceAll('{{COLLECTOR_URL}}', collectorUrl).replaceAll('{{API_URL}}', apiUrl);
  };
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url, 'http://shop');
    if (pathname.startsWith('/dist/')) return sendFile(response, DIST_DIR, pathname.slice('/dist/'.length));
    // Paths without a file extension are the page's own routes (`/cart` after history.pushState): same page.
    if (!/\.\w+$/.test(pathname)) return sendFile(response, SHOP_DIR, 'index.html', fillIn);
    return sendFile(response, SHOP_DIR, pathname.slice(1));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is already in use`) : error));
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}`;
      resolve({
        url,
        port: server.address().port,
        close: () => new Promise((done) => {
          server.close(done);
          server.closeAllConnections();
        }),
      });
    });
  });
}
