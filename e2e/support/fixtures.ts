import { test as base, expect, type Page } from '@playwright/test';
import { startReceiver, type Receiver } from './receiver';
import { startSite } from './site';

type Site = Awaited<ReturnType<typeof startSite>>;

/**
 * Every test gets its own receiver (the collector) and site (the page's origin), on free loopback ports, so the
 * collector is cross-origin as in production.
 */
export const test = base.extend<{ receiver: Receiver; site: Site }>({
  receiver: async ({}, use) => {
    const receiver = await startReceiver();
    await use(receiver);
    await receiver.close();
  },
  site: async ({ receiver }, use) => {
    const site = await startSite({ ENDPOINT: receiver.url });
    await use(site);
    await site.close();
  },
});

export { expect };

/**
 * Makes the page hidden as switching tabs does. Headless Chromium never hides a page by itself, so the state is
 * stubbed and the event dispatched, as web-vitals' own tests do; what the handlers send is real.
 */
export const hidePage = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
