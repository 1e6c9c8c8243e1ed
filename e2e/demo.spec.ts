// The demo, driven as a person would: shop flows, then the viewer. The shop page loads the built
// dist/tracelet.zone.iife.min.js through a plain script tag, so this checks what ships (run `npm run build` first).
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { startDemo, type Demo } from '../demo/start.mjs';
import type { Collector, Span } from '../demo/collector.mjs';

const ARTIFACTS = new URL('./artifacts/', import.meta.url);

let demo: Demo;
test.beforeAll(async () => {
  demo = await startDemo({ ports: 0 });
});
test.afterAll(async () => {
  await demo?.close();
});

test.use({ viewport: { width: 1280, height: 860 } });

/** Attaches a screenshot to the report and keeps a copy in e2e/artifacts/. */
async function saveScreenshot(testInfo: TestInfo, name: string, body: Buffer) {
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(new URL(`${name}.png`, ARTIFACTS), body);
  await testInfo.attach(name, { body, contentType: 'image/png' });
}

/**
 * The checkout trace as the collector holds it: the browser's click span, its fetch CLIENT child, the api's SERVER
 * span under that fetch, and the inventory SERVER spans, all in one trace; undefined until all have arrived.
 */
function findCheckout(collector: Collector) {
  for (const summary of collector.store.list()) {
    const spans = collector.store.get(summary.traceId)!.spans;
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span?: Span) => (span?.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const server = spans.find((span) => span.service === 'shop-api' && span.kind === 'SERVER' && span.name === 'POST /api/checkout');
    const fetchSpan = parentOf(server);
    const click = parentOf(fetchSpan);
    const inventory = spans.filter((span) => span.service === 'shop-inventory' && span.kind === 'SERVER');
    if (fetchSpan?.service === 'shop-web' && fetchSpan.kind === 'CLIENT' && click?.name === 'click' && inventory.length > 0) {
      return { traceId: summary.traceId, spans, click, fetchSpan, server: server!, inventory, parentOf };
    }
  }
  return undefined;
}

/** Resolves when the page has received the answer to `method path` from the api. */
const apiAnswer = (page: Page, method: string, path: string) =>
  page.waitForResponse((response) => response.request().method() === method && new URL(response.url()).pathname === path);

test('a checkout is traced from the click in the shop through shop-api to shop-inventory, and the viewer shows it', async ({ page }, testInfo) => {
  // A person's whole session: a dozen flows, one of them 1.5 s slow, then the viewer.
  test.setTimeout(60_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await test.step('the shop loads its products by fetch', async () => {
    const products = apiAnswer(page, 'GET', '/api/products');
    await page.goto(demo.shopUrl);
    expect((await products).status()).toBe(200);
    await expect(page.locator('.product')).toHaveCount(6);
  });

  await test.step('add to cart, by XMLHttpRequest', async () => {
    for (const name of ['Sencha green tea', 'Gooseneck kettle']) {
      const added = apiAnswer(page, 'POST', '/api/cart');
      await page.locator('.product', { hasText: name }).getByRole('button', { name: 'Add to cart' }).click();
      expect((await added).status()).toBe(200);
    }
    await expect(page.locator('#cart-count')).toHaveText('2');
    await saveScreenshot(testInfo, 'shop', await page.screenshot());
  });

  await test.step('search: one request per keystroke, overlapping', async () => {
    await page.locator('#search').pressSequentially('pot', { delay: 20 });
    await expect.poll(() => demo.apiRequests.filter((request) => request.method === 'GET' && request.path === '/api/search').length).toBe(3);
    await expect(page.locator('.product')).toHaveCount(1);
    await expect(page.locator('.product')).toContainText('Cast-iron teapot');
  });

  await test.step('a route change to the cart, which then fetches it', async () => {
    const cart = apiAnswer(page, 'GET', '/api/cart');
    await page.getByRole('link', { name: /Cart/ }).click();
    await expect(page).toHaveURL(/\/cart$/);
    expect((await cart).status()).toBe(200);
    await expect(page.locator('#cart-lines li')).toHaveCount(2);
    // A person reads the cart before checking out. A click while the route change is still open joins it, as
    // the README says; waiting until its span has left the page makes the checkout a trace of its own.
    await demo.collector.waitFor(
      (collector) =>
        collector.store.list().some((summary) =>
          collector.store.get(summary.traceId)!.spans.some((span) => span.name === 'routeChange' && String(span.attributes['url.full']).endsWith('/cart')),
        ),
      10_000,
    );
  });

  await test.step('checkout: the click calls shop-api, which fans out to shop-inventory', async () => {
    const checkout = apiAnswer(page, 'POST', '/api/checkout');
    await page.getByRole('button', { name: 'Checkout' }).click();
    expect((await checkout).status()).toBe(200);
    await expect(page.locator('#toast')).toContainText('Order');
  });

  await test.step('a failing call, a slow call and an uncaught error', async () => {
    await page.getByRole('link', { name: 'Shop' }).click();
    const failed = apiAnswer(page, 'GET', '/api/fail');
    await page.getByRole('button', { name: /fails \(500\)/ }).click();
    expect((await failed).status()).toBe(500);
    const slow = apiAnswer(page, 'GET', '/api/slow');
    await page.getByRole('button', { name: /slow endpoint/ }).click();
    expect((await slow).status()).toBe(200);
    const thrown = page.waitForEvent('pageerror');
    await page.getByRole('button', { name: 'Throw an uncaught error' }).click();
    expect((await thrown).message).toContain('on purpose');
    expect(pageErrors).toHaveLength(1);
  });

  // Leaving the shop for the viewer sends what tracelet still holds (pagehide), as it would for a person.
  await page.goto(demo.viewerUrl);
  const checkout = await demo.collector.waitFor(findCheckout, 20_000);

  await test.step('the checkout click starts its own trace, and its fetch reaches shop-api across origins', async () => {
    // Not a child of the route change's trace just before it, and adopting no request but its own.
    const parent = checkout.parentOf(checkout.click);
    expect(parent && `${parent.kind} ${parent.name} ${parent.attributes['url.full'] ?? ''}`, 'the checkout click must be a root, not a child of').toBeUndefined();
    expect(checkout.click.parentSpanId).toBeUndefined();
    const clickRequests = checkout.spans.filter((span) => span.parentSpanId === checkout.click.spanId && span.kind === 'CLIENT');
    expect(clickRequests.map((span) => span.attributes['url.full'])).toEqual([checkout.fetchSpan.attributes['url.full']]);
    const request = demo.apiRequests.find((item) => item.method === 'POST' && item.path === '/api/checkout');
    expect(request?.traceparent).toBe(`00-${checkout.traceId}-${checkout.fetchSpan.spanId}-01`);
    expect(request?.origin).toBe(new URL(demo.shopUrl).origin);
    expect(checkout.click.kind).toBe('INTERNAL');
    expect(checkout.click.resource['service.name']).toBe('shop-web');
    expect(checkout.fetchSpan.name).toBe('POST');
    expect(checkout.inventory.length).toBe(2);
  });

  await test.step('the viewer lists the checkout trace and draws its waterfall with the right nesting', async () => {
    const item = page.locator('.trace-item', { hasText: 'POST /api/checkout' }).filter({ hasText: 'shop-inventory' });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('click');
    await item.click();
    await expect(page).toHaveURL(new RegExp(`#/trace/${checkout.traceId}$`));

    const row = (span: Span) => page.locator(`.wf-span[data-span-id="${span.spanId}"]`);
    await expect(row(checkout.click)).toHaveAttribute('data-depth', '0');
    await expect(row(checkout.click)).toHaveAttribute('data-name', 'click');
    await expect(row(checkout.click)).toHaveAttribute('data-service', 'shop-web');
    await expect(row(checkout.fetchSpan)).toHaveAttribute('data-parent-span-id', checkout.click.spanId);
    await expect(row(checkout.fetchSpan)).toHaveAttribute('data-depth', '1');
    await expect(row(checkout.fetchSpan)).toHaveAttribute('data-kind', 'CLIENT');
    await expect(row(checkout.server)).toHaveAttribute('data-parent-span-id', checkout.fetchSpan.spanId);
    await expect(row(checkout.server)).toHaveAttribute('data-depth', '2');
    await expect(row(checkout.server)).toHaveAttribute('data-service', 'shop-api');
    for (const inventory of checkout.inventory) {
      await expect(row(inventory)).toHaveAttribute('data-service', 'shop-inventory');
      // Under the api's server span: through its `check stock` span and its http CLIENT span.
      const ancestors = [];
      for (let span = checkout.parentOf(inventory); span; span = checkout.parentOf(span)) ancestors.push(span.spanId);
      expect(ancestors).toContain(checkout.server.spanId);
      expect(Number(await row(inventory).getAttribute('data-depth'))).toBe(ancestors.length);
    }
    // Tree order on screen: each parent's row above its children's.
    const order = await page.locator('.wf-span').evaluateAll((rows) => rows.map((element) => (element as HTMLElement).dataset.spanId));
    const at = (span: Span) => order.indexOf(span.spanId);
    expect(at(checkout.click)).toBeLessThan(at(checkout.fetchSpan));
    expect(at(checkout.fetchSpan)).toBeLessThan(at(checkout.server));
    for (const inventory of checkout.inventory) expect(at(checkout.server)).toBeLessThan(at(inventory));

    await row(checkout.server).click();
    const details = page.locator('.span-details');
    await expect(details).toContainText('POST /api/checkout');
    await expect(details).toContainText('http.route');
    await expect(details).toContainText('Resource');
    await saveScreenshot(testInfo, 'waterfall', await page.screenshot());
  });

  await test.step('the viewer shows a new trace as it arrives, without a reload', async () => {
    const traceId = randomBytes(16).toString('hex');
    const answer = await fetch(`${demo.apiUrl}/api/products`, { headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } });
    expect(answer.status).toBe(200);
    await answer.body?.cancel();
    await expect(page.locator(`.trace-item[data-trace-id="${traceId}"]`)).toBeVisible();
  });

  await test.step('the service map shows browser -> shop-api -> shop-inventory', async () => {
    await page.getByRole('link', { name: 'Service map' }).click();
    for (const service of ['shop-web', 'shop-api', 'shop-inventory']) {
      await expect(page.locator(`.map-node[data-service="${service}"]`)).toBeVisible();
    }
    await expect(page.locator('.map-edge[data-from="shop-web"][data-to="shop-api"]')).toContainText('req');
    await expect(page.locator('.map-edge[data-from="shop-api"][data-to="shop-inventory"]')).toContainText('req');
    // The call that failed with 500 counts as an error on the browser -> api edge.
    await expect(page.locator('.calls tr', { hasText: 'shop-web' }).locator('td').nth(3)).not.toHaveText('0');
    await saveScreenshot(testInfo, 'service-map', await page.screenshot());
  });
});
