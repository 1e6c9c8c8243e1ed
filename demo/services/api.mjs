// shop-api: the shop's backend, on another origin than the page. Run by demo/services.mjs as
// `node --import ./telemetry.mjs api.mjs` with PORT, INVENTORY_URL and ALLOW_ORIGINS (the shop page's origin) set.
import { setTimeout as delay } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import { getJson, readJson, sendJson } from './json-http.mjs';
import { nameServerSpan, report, runService } from './run-service.mjs';

const INVENTORY_URL = process.env.INVENTORY_URL;
const ALLOW_ORIGINS = (process.env.ALLOW_ORIGINS ?? '').split(',').filter(Boolean);
const tracer = trace.getTracer('shop-api');

const PRODUCTS = [
  { sku: 'TEA-01', name: 'Sencha green tea', detail: '100 g loose leaf, first flush', price: 12.5, hue: 95 },
  { sku: 'MUG-02', name: 'Stoneware mug', detail: 'Hand-glazed, 350 ml', price: 18, hue: 25 },
  { sku: 'KET-03', name: 'Gooseneck kettle', detail: 'Brushed steel, 1 l', price: 64, hue: 210 },
  { sku: 'INF-04', name: 'Tea infuser', detail: 'Fine mesh, fits any mug', price: 9.9, hue: 170 },
  { sku: 'TIN-05', name: 'Airtight tea tin', detail: 'Keeps 150 g fresh', price: 14, hue: 340 },
  { sku: 'POT-06', name: 'Cast-iron teapot', detail: 'Tetsubin style, 0.8 l', price: 48, hue: 260 },
];
const cart = [];

/**
 * CORS for the shop page. The browser sends `traceparent` (and maybe `tracestate`) only after a preflight says
 * these headers are allowed. Timing-Allow-Origin lets the page read this origin's detailed resource timings.
 */
function corsHeaders(request) {
  const origin = request.headers.origin;
  if (!origin || !ALLOW_ORIGINS.includes(origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, 'timing-allow-origin': origin, vary: 'Origin' };
}

const ROUTES = {
  'GET /api/products': () => [200, PRODUCTS],

  'GET /api/cart': () => [200, cartSummary()],

  'POST /api/cart': async (request) => {
    const { sku } = await readJson(request);
    const product = PRODUCTS.find((item) => item.sku === sku);
    if (!product) return [400, { message: `unknown SKU ${sku}` }];
    cart.push(product);
    return [200, cartSummary()];
  },

  'POST /api/checkout': async () => {
    if (!cart.length) return [409, { message: 'Your cart is empty.' }];
    // One stock lookup per distinct item, all at once: the fan-out the waterfall shows.
    const skus = [...new Set(cart.map((item) => item.sku))];
    const stock = await tracer.startActiveSpan('check stock', async (span) => {
      span.setAttribute('shop.items', skus.length);
      try {
        return await Promise.all(skus.map((sku) => getJson(`${INVENTORY_URL}/inventory/${sku}`)));
      } finally {
        span.end();
      }
    });
    const order = { orderId: `ord-${Date.now().toString(36)}`, ...cartSummary(), stock };
    cart.length = 0;
    return [200, order];
  },

  'GET /api/search': async (request) => {
    const query = (new URL(request.url, 'http://api').searchParams.get('q') ?? '').trim().toLowerCase();
    // A random delay, so that a fast typist's requests finish out of order.
    await delay(40 + Math.random() * 400);
    return [200, PRODUCTS.filter((item) => `${item.name} ${item.detail}`.toLowerCase().includes(query))];
  },

  'GET /api/fail': () => [500, { message: 'The payment provider is unavailable (a failure on purpose).' }],

  'GET /api/slow': async () => {
    await delay(1500);
    return [200, { message: 'Done, slowly.' }];
  },
};

function cartSummary() {
  return { count: cart.length, total: Math.round(cart.reduce((sum, item) => sum + item.price, 0) * 100) / 100, items: cart };
}

runService('shop-api', async (request, response) => {
  const path = new URL(request.url, 'http://api').pathname;
  // Recorded so tests can check what the browser propagated.
  report({ type: 'request', method: request.method, path, traceparent: request.headers.traceparent, origin: request.headers.origin });
  const cors = corsHeaders(request);
  if (request.method === 'OPTIONS') {
    response.writeHead(204, {
      ...cors,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'traceparent, tracestate, content-type',
      'access-control-max-age': '600',
    }).end();
    return;
  }
  const route = `${request.method} ${path}`;
  const handler = ROUTES[route];
  if (!handler) return sendJson(response, 404, { message: `no route for ${route}` }, cors);
  nameServerSpan(request.method, path);
  try {
    const [status, body] = await handler(request);
    sendJson(response, status, body, cors);
  } catch (error) {
    sendJson(response, error.status ?? 500, { message: error.message }, cors);
  }
});
