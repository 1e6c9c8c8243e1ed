// `npm run demo`: the collector (with the viewer), shop-inventory, shop-api and the shop page, all on 127.0.0.1.
// Also a module: `startDemo({ ports: 0 })` starts the same on free ports, for tests.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector.mjs';
import { startServices } from './services.mjs';
import { startShopServer } from './shop-server.mjs';

const BUNDLE = fileURLToPath(new URL('../dist/tracelet.zone.iife.min.js', import.meta.url));

/** The fixed ports of `npm run demo`, each with the environment variable that overrides it. */
const DEFAULT_PORTS = {
  shop: ['DEMO_PORT', 8400],
  api: ['DEMO_API_PORT', 8401],
  inventory: ['DEMO_INVENTORY_PORT', 8402],
  collector: ['DEMO_COLLECTOR_PORT', 8418],
};

/** Prefixes a failure to start with the part that failed: `collector: port 8418 ... in use`. */
const named = (part, starting) => starting.catch((error) => {
  throw new Error(`${part}: ${error.message}`, { cause: error });
});

/** Both spellings of a local origin: a page opened as localhost must be allowed as well as 127.0.0.1. */
const localOrigins = (port) => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];

/**
 * Starts the whole demo. `ports` is 0 for free ports everywhere, or { shop, api, inventory, collector }.
 * `forwardTo` and `forwardHeaders` go to the collector (default: OTLP_FORWARD_URL, OTLP_FORWARD_HEADERS).
 * Resolves to the URLs, the collector (see collector.mjs), `apiRequests` (what shop-api received, with each
 * request's traceparent) and `close()`, which stops everything it started.
 */
export async function startDemo({ ports = 0, forwardTo, forwardHeaders, log = console } = {}) {
  const port = (name) => (typeof ports === 'object' ? ports[name] ?? 0 : ports);
  const started = [];
  // Last started, first stopped: the services flush their spans to the collector before it closes.
  const closeAll = async () => {
    for (const part of started.splice(0).reverse()) await part.close();
  };
  try {
    // The page's URLs are filled in when it is served: the collector and the api start after the shop's server,
    // since both need the shop's origin for CORS.
    const urls = { collectorUrl: '', apiUrl: '' };
    const shop = await named('shop', startShopServer({ port: port('shop'), pageUrls: () => urls }));
    started.push(shop);
    const collector = await named('collector', startCollector({ port: port('collector'), allowOrigins: localOrigins(shop.port), forwardTo, forwardHeaders, log }));
    started.push(collector);
    urls.collectorUrl = collector.url;
    const services = await startServices({
      collectorUrl: collector.url,
      allowOrigins: localOrigins(shop.port),
      apiPort: port('api'),
      inventoryPort: port('inventory'),
    });
    started.push(services);
    urls.apiUrl = services.apiUrl;
    return {
      shopUrl: shop.url,
      viewerUrl: collector.url,
      collectorUrl: collector.url,
      apiUrl: services.apiUrl,
      inventoryUrl: services.inventoryUrl,
      collector,
      apiRequests: services.apiRequests,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function main() {
  const ports = Object.fromEntries(Object.entries(DEFAULT_PORTS).map(([name, [env, fallback]]) => [name, Number(process.env[env] ?? fallback)]));
  let demo;
  try {
    demo = await startDemo({ ports });
  } catch (error) {
    const envs = Object.values(DEFAULT_PORTS).map(([env]) => env).join(', ');
    console.error(`demo: ${error.message} (ports can be changed with ${envs})`);
    process.exit(1);
  }
  const forwarding = demo.collector.stats().forwarding;
  console.log([
    '',
    'tracelet demo',
    `  shop     ${demo.shopUrl}      <- open this, click around`,
    `  viewer   ${demo.viewerUrl}      <- then watch the traces here`,
    '',
    `  OTLP/HTTP receiver  ${demo.collectorUrl}/v1/traces`,
    `  shop-api            ${demo.apiUrl}`,
    `  shop-inventory      ${demo.inventoryUrl}`,
    forwarding ? `  forwarding to       ${forwarding.url}` : '  forwarding          off (set OTLP_FORWARD_URL to send traces to your own backend)',
    existsSync(BUNDLE) ? '' : `\n  warning: ${BUNDLE} is missing, so the shop is not traced: run \`npm run build\` (npm run demo does).\n`,
    'Press Ctrl-C to stop.',
  ].join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await demo.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
