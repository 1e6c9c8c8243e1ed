// Builds bench/otel-entry.js into one minified IIFE the way tracelet's IIFE is built (node-resolve for the browser,
// production mode, terser), so the two bundles compare like for like. zone.js stays out of both: the page loads it
// once, separately.
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: fileURLToPath(new URL('./otel-entry.js', import.meta.url)),
  // context-zone's `import 'zone.js'` is a bare side-effect import: external, it simply disappears from the IIFE.
  external: ['zone.js'],
  plugins: [
    nodeResolve({
      browser: true,
      // npm installs two patch versions of @opentelemetry/core and sdk-trace side by side here (2.12.0 and 2.12.1);
      // an app would line them up, so bundle one copy each. This makes OpenTelemetry's bundle smaller, never larger.
      dedupe: (id) => id.startsWith('@opentelemetry/'),
    }),
    // tracelet's terser settings (root rollup.config.mjs) minus property mangling: OpenTelemetry shares `_` names
    // with zone.js and across packages, and nobody ships it mangled, so mangling would misrepresent what users get.
    terser({ ecma: 2020, module: false, compress: { passes: 2, pure_getters: true }, format: { comments: false } }),
  ],
  onwarn(warning, warn) {
    // OpenTelemetry's ESM builds use `this` at module top level in TypeScript's helpers; harmless.
    if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
  },
  output: { file: fileURLToPath(new URL('./tmp/otel.iife.min.js', import.meta.url)), format: 'iife', name: 'OTelBench' },
};
