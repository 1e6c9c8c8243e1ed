import type { Attributes } from './types';
import type { SpanLimits } from './core/attributes';
import type { InteractionSettings } from './instrumentation/interactions';
import type { LongTaskSettings } from './instrumentation/long-tasks';
import type { NavigationSettings } from './instrumentation/navigation';

/** A URL pattern: a string matches URLs that start with it; a RegExp is tested against the whole URL. */
export type UrlPattern = string | RegExp;

/** Options for {@link init}. Only `serviceName` is required; every other option has the default shown. */
export interface TraceletOptions {
  /** `service.name` of the page's resource, such as `'shop-web'`. Required. */
  serviceName: string;
  /** `service.version` of the resource, such as your release or commit. Default: none. */
  serviceVersion?: string;
  /** `deployment.environment.name` of the resource, such as `'production'`. Default: none. */
  environment?: string;
  /** More resource attributes; they win over the ones tracelet sets. Default: none. */
  resource?: Attributes;
  /**
   * The OTLP/HTTP traces URL of your collector, such as `'https://otel.example.com/v1/traces'`. Without it spans
   * are recorded but not sent anywhere. Default: none.
   */
  endpoint?: string;
  /**
   * Extra headers for the collector, such as an API key. Any header makes a cross-origin export request need a
   * CORS preflight, as `Content-Encoding` already does. Default: none.
   */
  headers?: Record<string, string>;
  /** `'gzip'` (fflate, synchronous) or `'none'`. Default `'gzip'`. */
  compression?: 'gzip' | 'none';
  /**
   * Other origins that may receive `traceparent`/`tracestate` (the page's own origin always does). Each server
   * listed must allow those headers in CORS. Default: none.
   */
  propagateTo?: UrlPattern[];
  /** Requests to these URLs are not traced. The collector endpoint is never traced. Default: none. */
  ignoreUrls?: UrlPattern[];
  /** Probability, 0 to 1, that a new trace is recorded; traces continued from a parent follow its decision. Default 1. */
  sampleRate?: number;
  /** Most ended spans waiting to be sent; past it new spans are dropped and counted. Default 2048. */
  maxQueueSize?: number;
  /**
   * Most spans in one export request (fewer when 48 KiB on the wire is reached first). Each request is encoded
   * and compressed in one task, so this bounds how long that task blocks the page. Default 64.
   */
  maxBatchSize?: number;
  /** Longest wait, in ms, before queued spans are sent while the page is visible. Default 2000. */
  batchDelay?: number;
  /** Per-span limits. Defaults: 128 attributes, 4096 characters per value, 128 events, 128 links. */
  limits?: Partial<SpanLimits>;
  /** A session ends after this many ms without a span. Default 1_800_000 (30 minutes). */
  sessionTimeout?: number;
  /**
   * Query parameters whose values are replaced by `REDACTED` in recorded URLs: a string matches any parameter
   * whose name contains it (any case); a RegExp is tested against the name. Credentials in URLs are always
   * redacted. Default: `['token', 'key', 'pass', 'secret', 'auth', 'sig', 'session', 'credential', 'code']`, which also
   * catches names that contain them, such as `api_key` or `password`, and `keyword`.
   */
  redactQueryParams?: UrlPattern[];
  /**
   * HTTP methods reported by name in request spans. Any other is reported as `_OTHER`, with its name in
   * `http.request.method_original`, and its span is named `HTTP` (OpenTelemetry semantic conventions): list your
   * API's own methods here. Default: `['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']`.
   */
  knownMethods?: string[];
  /**
   * Each instrumentation, on (`true`, or its own settings object) or off (`false`). All are on by default.
   * See the README for each one's settings.
   */
  instrumentations?: InstrumentationOptions;
}

/** Each instrumentation by name: `true` or its settings to turn it on, `false` to turn it off. */
export interface InstrumentationOptions {
  fetch?: boolean;
  xhr?: boolean;
  interactions?: boolean | InteractionSettings;
  navigation?: boolean | NavigationSettings;
  pageLoad?: boolean;
  webVitals?: boolean;
  errors?: boolean;
  longTasks?: boolean | LongTaskSettings;
}

/** The instrumentations `init()` starts, each in its own module. */
export type InstrumentationName = 'fetch' | 'xhr' | 'interactions' | 'pageLoad' | 'webVitals' | 'errors' | 'navigation' | 'longTasks';

type Defaulted =
  | 'compression'
  | 'sampleRate'
  | 'maxQueueSize'
  | 'maxBatchSize'
  | 'batchDelay'
  | 'sessionTimeout'
  | 'redactQueryParams'
  | 'propagateTo'
  | 'ignoreUrls'
  | 'knownMethods'
  | 'headers'
  | 'resource'
  | 'limits'
  | 'instrumentations';

/** Options after defaults are applied. */
export type ResolvedOptions = TraceletOptions & Required<Pick<TraceletOptions, Defaulted>>;

/** Defaults for every optional setting of {@link TraceletOptions}. */
export const DEFAULTS: Required<Pick<TraceletOptions, Defaulted>> = {
  compression: 'gzip',
  sampleRate: 1,
  maxQueueSize: 2048,
  maxBatchSize: 64,
  batchDelay: 2000,
  sessionTimeout: 30 * 60 * 1000,
  redactQueryParams: 'token key pass secret auth sig session credential code'.split(' '),
  propagateTo: [],
  ignoreUrls: [],
  knownMethods: 'CONNECT DELETE GET HEAD OPTIONS PATCH POST PUT TRACE'.split(' '),
  headers: {},
  resource: {},
  limits: {},
  instrumentations: {},
};
