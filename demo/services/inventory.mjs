// shop-inventory: stock levels per SKU, called by shop-api during checkout. Run by demo/services.mjs as
// `node --import ./telemetry.mjs inventory.mjs` with PORT set.
import { setTimeout as delay } from 'node:timers/promises';
import { sendJson } from './json-http.mjs';
import { nameServerSpan, runService } from './run-service.mjs';

const STOCK = { 'TEA-01': 42, 'MUG-02': 17, 'KET-03': 5, 'INF-04': 60, 'TIN-05': 23, 'POT-06': 3 };
const WAREHOUSES = ['Rotterdam', 'Leipzig'];

runService('shop-inventory', async (request, response) => {
  const match = /^\/inventory\/([\w-]+)$/.exec(new URL(request.url, 'http://inventory').pathname);
  if (request.method !== 'GET' || !match) return sendJson(response, 404, { message: `no route for ${request.method} ${request.url}` });
  nameServerSpan('GET', '/inventory/:sku');
  const sku = match[1];
  if (!(sku in STOCK)) return sendJson(response, 404, { message: `unknown SKU ${sku}` });
  // A stock lookup takes a little while, and not always the same while.
  await delay(15 + Math.random() * 60);
  sendJson(response, 200, { sku, inStock: STOCK[sku], warehouse: WAREHOUSES[sku.charCodeAt(4) % WAREHOUSES.length] });
});
