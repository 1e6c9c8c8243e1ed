// Starts the demo's two backend services, each in its own Node process with the OpenTelemetry Node SDK loaded
// first (`--import services/telemetry.mjs`): shop-api, which the page calls, and shop-inventory, which shop-api calls.
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TELEMETRY = pathToFileURL(fileURLToPath(new URL('./services/telemetry.mjs', import.meta.url))).href;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const MAX_RECORDED_REQUESTS = 500;

/** Forks one service and resolves once it listens; `onMessage` receives its other reports. */
function startService(name, file, env, onMessage) {
  const child = fork(fileURLToPath(new URL(`./services/${file}`, import.meta.url)), [], {
    // Only the SDK preload: not the parent's own flags (a test runner's loaders, for one).
    execArgv: ['--import', TELEMETRY],
    env: {
      ...process.env,
      OTEL_SERVICE_NAME: name,
      // The stable HTTP semantic conventions (url.full, http.request.method, ...), as the browser library uses.
      OTEL_SEMCONV_STABILITY_OPT_IN: 'http',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = () => stopChild(child);
  return new Promise((resolve, reject) => {
    const exitedEarly = (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before it was listening`);
    const fail = (message) => {
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      stop();
      reject(new Error(`${name}: ${message}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once('exit', exitedEarly);
    child.on('message', (message) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        child.off('exit', exitedEarly);
        resolve({ url: `http://127.0.0.1:${message.port}`, port: message.port, stop });
      } else if (message.type === 'error') {
        fail(message.message);
      } else {
        onMessage(message);
      }
    });
  });
}

/** SIGTERM (the service flushes its spans, then exits), and SIGKILL if it has not exited in time. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts shop-inventory, then shop-api. `allowOrigins` are the page origins shop-api answers CORS for. Resolves to
 * the URLs, `apiRequests` (the last requests shop-api received: method, path, traceparent, origin) and `close()`.
 */
export async function startServices({ collectorUrl, allowOrigins, apiPort = 0, inventoryPort = 0 }) {
  const apiRequests = [];
  const record = (message) => {
    if (message.type !== 'request') return;
    apiRequests.push({ at: Date.now(), method: message.method, path: message.path, traceparent: message.traceparent, origin: message.origin });
    if (apiRequests.length > MAX_RECORDED_REQUESTS) apiRequests.shift();
  };
  const exporterEnv = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collectorUrl}/v1/traces` };
  const inventory = await startService('shop-inventory', 'inventory.mjs', { ...exporterEnv, PORT: String(inventoryPort) }, record);
  let api;
  try {
    api = await startService('shop-api', 'api.mjs', {
      ...exporterEnv,
      PORT: String(apiPort),
      INVENTORY_URL: inventory.url,
      ALLOW_ORIGINS: allowOrigins.join(','),
    }, record);
  } catch (error) {
    await inventory.stop();
    throw error;
  }
  return {
    apiUrl: api.url,
    inventoryUrl: inventory.url,
    apiRequests,
    close: () => Promise.all([api.stop(), inventory.stop()]).then(() => {}),
  };
}
