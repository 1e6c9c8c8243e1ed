import type { Attributes } from '../types';

/** The library's version, written into `telemetry.sdk.version`; replaced at build time. */
declare const __VERSION__: string;

interface ResourceOptions {
  serviceName: string;
  serviceVersion?: string;
  environment?: string;
  resource?: Attributes;
}

interface UserAgentData {
  brands?: Array<{ brand: string; version: string }>;
  platform?: string;
  mobile?: boolean;
}

/**
 * The resource attributes of this page: the service, the SDK, and the browser as OpenTelemetry's browser
 * semantic conventions describe it (`browser.*` from User-Agent Client Hints where the browser has them).
 * `extra` attributes from the user come last and win.
 */
export const createResource = (options: ResourceOptions): Attributes => {
  // Undefined where there is none (server-side rendering, say).
  const nav = (globalThis as { navigator?: Navigator }).navigator;
  const uaData = (nav as { userAgentData?: UserAgentData } | undefined)?.userAgentData;
  return {
    'service.name': options.serviceName,
    'service.version': options.serviceVersion,
    'deployment.environment.name': options.environment,
    'telemetry.sdk.name': 'tracelet',
    'telemetry.sdk.language': 'webjs',
    'telemetry.sdk.version': typeof __VERSION__ === 'string' ? __VERSION__ : 'dev',
    'user_agent.original': nav?.userAgent,
    'browser.brands': uaData?.brands?.map((b) => `${b.brand} ${b.version}`),
    'browser.platform': uaData?.platform,
    'browser.mobile': uaData?.mobile,
    'browser.language': nav?.language,
    ...options.resource,
  };
};
