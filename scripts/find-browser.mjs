// Finds a Chromium for the end-to-end tests, in this order: Playwright's own download (if one was installed),
// a system Chromium or Chrome, and, where we are root on Debian or Ubuntu, Debian's `chromium` package installed
// with apt-get. Prints nothing on success; prints one line saying what to do when no browser can be had.
//
//   node scripts/find-browser.mjs           prints the executable path
//   node scripts/find-browser.mjs --check   exits 0 when a browser is found or installed, 1 with one line otherwise
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * Launch flags for a headless Chromium on machines without outside network (CI, sandboxes): without the
 * background-networking ones Chromium keeps dialling Google services and floods the log with refused connections.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Playwright's own Chromium, when `npx playwright install chromium` has been run on this machine. */
function playwrightChromium() {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function systemChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  return SYSTEM_BROWSERS.find((path) => existsSync(path));
}

function installDebianChromium() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) return undefined;
  process.stderr.write('No Chromium found: installing Debian\'s chromium package with apt-get...\n');
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    return undefined;
  }
  return systemChromium();
}

/** The Chromium executable the tests drive, or undefined when none can be found or installed. */
export function findBrowser({ install = false } = {}) {
  return playwrightChromium() ?? systemChromium() ?? (install ? installDebianChromium() : undefined);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = findBrowser({ install: process.argv.includes('--check') });
  if (!path) {
    console.error('No Chromium found: run `npx playwright install chromium`, or install Chromium and set CHROMIUM_PATH to it.');
    process.exit(1);
  }
  if (!process.argv.includes('--check')) console.log(path);
}
