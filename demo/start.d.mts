// Types for start.mjs, for the Playwright test that starts the demo.
import type { Collector } from './collector.mjs';

export interface DemoOptions {
  /** 0 (default) for free ports everywhere, or a port per part. */
  ports?: 0 | { shop?: number; api?: number; inventory?: number; collector?: number };
  forwardTo?: string;
  forwardHeaders?: Record<string, string>;
  log?: Pick<Console, 'warn' | 'error'>;
}

export interface ApiRequest {
  at: number;
  method: string;
  path: string;
  traceparent?: string;
  origin?: string;
}

export interface Demo {
  shopUrl: string;
  viewerUrl: string;
  collectorUrl: string;
  apiUrl: string;
  inventoryUrl: string;
  collector: Collector;
  /** The last requests shop-api received, with the traceparent each one carried. */
  apiRequests: ApiRequest[];
  close(): Promise<void>;
}

export function startDemo(options?: DemoOptions): Promise<Demo>;
