import { readFileSync } from 'node:fs';
import MagicString from 'magic-string';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import replace from '@rollup/plugin-replace';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// The script-tag bundles keep ES2021's `??=` and `||=`, which every browser README.md lists has (Chrome 85,
// Firefox 79, Safari 14), rather than their longer ES2020 rewrite. (ES2022 would turn the span's constructor
// parameters into class field declarations, which is longer.) Still no native async/await: tracelet writes none.
const ts = (target) =>
  typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], compilerOptions: { noEmit: false, declaration: false, outDir: 'dist', allowJs: false, removeComments: true, ...(target && { target }) } });

// `__VERSION__` becomes the package version in every build.
const version_ = () => replace({ preventAssignment: true, values: { __VERSION__: JSON.stringify(version) } });

const minify = () =>
  terser({
    ecma: 2021,
    module: false,
    // unsafe_arrows and unsafe_methods turn `function` expressions that use neither `this` nor `arguments` into
    // arrows, and function-valued object properties into methods. Their only risk is code that calls `new` on
    // such a function or reads its `prototype`: neither our code nor fflate's gzip path does (fflate's classes
    // are for its streaming API, which tracelet does not import). Not `unsafe`: it turns `String(x)` into
    // `x + ""`, which throws for a Symbol where `String` does not (an error or name given to tracelet can be one).
    // passes: terser stops once two passes in a row shrink nothing: the cap only bounds build time.
    // keep_fargs: false drops parameters a function never reads (web-vitals' options, once DEAD_OPTIONS has removed
    // every read), which changes only the function's `length`: nothing reads it, and tracelet's public functions
    // read every parameter they declare.
    compress: { passes: 10, pure_getters: true, unsafe_arrows: true, unsafe_methods: true, keep_fargs: false },
    // Every property starting with `_` is private to tracelet and spelled out nowhere else, so it can be renamed:
    // this is where most of the bytes of a class-heavy bundle go (web-vitals and preact do the same).
    // Quoted names are kept, for the few `_` properties that belong to others (zone.js's `task['_zone']`).
    mangle: { properties: { regex: /^_/, keep_quoted: true } },
    format: { comments: false },
  });

// tracelet calls fflate's gzipSync with one fixed option, and the web-vitals functions with none, so the code
// those libraries run only for other options is dead in our bundles. Each option read below becomes a constant
// (mostly `undefined` or `false`), and terser drops the branches behind it: the soft-navigation tracking of web-vitals and
// what only its attribution build uses, and fflate's dictionary, level, file name and streaming-state handling, about
// 1,150 bytes gzip in all. A pattern that no longer matches (a
// new version of a library), or our code passing one of these options, fails the build rather than shipping
// something else.
const DEAD_OPTIONS = [
  { file: /\/fflate\/esm\//, pattern: /\b(?:opt|o)\.(?:dictionary|level|mtime|filename)\b/g, by: 'undefined' },
  // The one option tracelet passes, `mem: 2` (src/export/compress.ts), as a constant.
  { file: /\/fflate\/esm\//, pattern: /\bopt\.mem\b/g, by: '2' },
  // gzipSync is always given options, and `mem: 2` makes the hash 14 bits wide, taken 5 bits per byte.
  { file: /\/fflate\/esm\//, pattern: /if \(!opts\)\s*opts = \{\};/g, by: '' },
  { file: /\/fflate\/esm\//, pattern: /\bMath\.ceil\(plvl \/ 3\)/g, by: String(Math.ceil((12 + 2) / 3)) },
  // The gzip header's compression flags, 0 at the default level, go into a byte that is 0 already.
  { file: /\/fflate\/esm\//, pattern: /, c\[8\] = o\.level < 2 \? 4 : o\.level == 9 \? 2 : 0(?=, c\[9\] = 3)/g, by: '' },
  // Without mtime the gzip header's time is now: `new Date(Date.now()) / 1000` is `Date.now() / 1000`.
  { file: /\/fflate\/esm\//, pattern: /\bnew Date(?=\(o\.mtime \|\| Date\.now\(\)\))/g, by: '' },
  // With the level at its default, 6, the table of settings per level is read at one index: the value, read
  // from the same file, replaces the read, and the table goes.
  {
    file: /\/fflate\/esm\//,
    pattern: /\bdeo\[lvl - 1\]/g,
    by: (_, code) => code.match(/\bdeo = \/\*#__PURE__\*\/ new i32\(\[([\d, ]+)\]\)/)[1].split(', ')[5],
  },
  // gzipSync, the only fflate function tracelet calls (CALLERS), deflates in one go: fflate's streaming state
  // `st` is then always `{ l: 1 }` (last block, nothing carried over), its other fields read as undefined, and
  // the code that saves them for a next chunk is dead.
  { file: /\/fflate\/esm\//, pattern: /\bst\.[zphiw] \|\| (?=dat\.length|new u16|0\b)/g, by: '' },
  { file: /\/fflate\/esm\//, pattern: /\(st\.r \|\| 0\) & 7/g, by: '0' },
  { file: /\/fflate\/esm\//, pattern: /if \(pos\)\s*w\[0\] = st\.r >> 3;/g, by: '' },
  { file: /\/fflate\/esm\//, pattern: /\blst = st\.l;|\(st\.l \? /g, by: (m) => m.replace('st.l', '1') },
  // A probe of TextDecoder's streaming, for decompression, which tracelet never does.
  { file: /\/fflate\/esm\//, pattern: /try \{\s*td\.decode\(et, \{ stream: true \}\);\s*tds = 1;\s*\}\s*catch \(e\) \{ \}/g, by: '' },
  // web-vitals, as tracelet calls it: each on*() function once per init(), with no options (CALLERS). Without
  // reportAllChanges, bindReporter's report(forceReport) reports only when forced.
  { file: /\/web-vitals\/dist\//, pattern: /\b\w+\.reportAllChanges\b/g, by: 'void 0' },
  { file: /\/web-vitals\/dist\//, pattern: /(?<=\.value>=0&&)\(\w+\|\|\w+\)/g, by: (m) => m.replace(/\|\|\w+/, '') },
  {
    file: /\/web-vitals\/dist\//,
    pattern: /globalThis\.PerformanceObserver\?\.supportedEntryTypes\?\.includes\("soft-navigation"\)&&[^,]*?\.reportSoftNavs/g,
    by: '!1',
  },
  // INP observes event timings of at least its durationThreshold option, 40 ms by default.
  { file: /\/web-vitals\/dist\//, pattern: /\{\.\.\.(\w+),durationThreshold:\1\.durationThreshold\?\?40\}/g, by: '{durationThreshold:40}' },
  // initUnique(options, Manager) gives every call made with the same options object one manager, for the
  // attribution build to share it. Called without options, each on*() has an options object of its own (the
  // default `{}`), so none is ever shared: each call, made right after the metric's initMetric(), becomes
  // `new Manager`, and initUnique goes.
  {
    file: /\/web-vitals\/dist\//,
    pattern: /(?<=\w+\("(?:CLS|INP|LCP)"(?:,0)?\);const \w+=)\w+\(\w+,\w+\)/g,
    by: (m) => `new ${m.match(/,(\w+)\)$/)[1]}`,
  },
  // The managers' hooks (_onBeforeProcessingEntry and the like) are set only by the attribution build, so calling
  // them does nothing. Their fields, and the soft-navigation maps, are the classes' only fields declared without a
  // value: they go (a field read before it is set is undefined either way).
  { file: /\/web-vitals\/dist\//, pattern: /\bthis\.\w\?\.\(\w\)/g, by: 'void 0' },
  { file: /\/web-vitals\/dist\//, pattern: /(?<=class \w+\{(?:\w+=[^;{}]*;|\w;)*)\w;/g, by: '' },
  // LCP's manager does nothing but call the attribution build's hook (above), and for soft navigations: its
  // only other call goes.
  { file: /\/web-vitals\/dist\//, pattern: /,\w+\.h\(\w+\)(?=,\w+=\[\w+\];else if\("interaction-contentful-paint")/g, by: '' },
  // FCP's manager is used only for soft navigations.
  { file: /\/web-vitals\/dist\//, pattern: /\b\w+=\w+\(\w+,\w+\),(?=\w+=\w+\(\);let \w+,\w+=\w+\("FCP"\))/g, by: '' },
  // A metric's navigationId, navigationInteractionId and navigationURL are read only for soft navigations, and
  // never by tracelet (CALLERS): initMetric() leaves them out, and a metric made again after a back/forward cache
  // restore is not handed the old ones.
  {
    file: /\/web-vitals\/dist\//,
    pattern:
      /,\w+=\w+\?\.navigationId\|\|0(?=;)|navigationId:\w+\|\|\w+,navigationInteractionId:\w+,navigationURL:\w+\|\|\w+\?\.name,|,\w+\.navigationId=\w+\.navigationId\|\|\w+\.navigationId/g,
    by: '',
  },
  // initMetric(name, value, navigationType, navigationId, navigationInteractionId, navigationURL, navigationStartTime)
  // loses the three parameters it no longer reads; its calls, and the helpers that pass their arguments on to it,
  // lose the same three arguments, so navigationStartTime is the fourth throughout. A call left out would shift
  // its arguments, so these rules must match exactly as often as there are such calls (`count`): web-vitals 6.2
  // has five restores from the back/forward cache, five soft navigations and three helpers.
  { file: /\/web-vitals\/dist\//, pattern: /(?<=\w+=\(\w+,\w+=-1,\w+,)\w+=0,\w+,\w+,(?=\w+\)=>)/g, by: '', count: 1 },
  { file: /\/web-vitals\/dist\//, pattern: /,\w+\.navigationId,\w+\.navigationInteractionId,\w+\.navigationURL(?=,)/g, by: '', count: 5 },
  { file: /\/web-vitals\/dist\//, pattern: /(?<="soft-navigation"),\w+\.navigationId,\w+\.interactionId,\w+\.name(?=,)/g, by: '', count: 5 },
  {
    file: /\/web-vitals\/dist\//,
    pattern: /\((\w+),\w+,\w+,\w+,(\w+)\)=>\{([^{}]*?\w+\("(?:CLS|INP|LCP)",-?\d,)\1,\w+,\w+,\w+,\2\)/g,
    by: (m) => m.replace(/\((\w+),\w+,\w+,\w+,(\w+)\)(.*)\1,\w+,\w+,\w+,\2\)$/, '($1,$2)$3$1,$2)'),
    count: 3,
  },
  // With soft navigations off (above), no observer asks for `soft-navigation` or `interaction-contentful-paint`
  // entries, so the branches for them never run.
  { file: /\/web-vitals\/dist\//, pattern: /"(?:soft-navigation|interaction-contentful-paint)"===\w+\.entryType/g, by: '!1' },
  { file: /\/web-vitals\/dist\//, pattern: /"soft-navigation"!==\w+\.entryType/g, by: '!0' },
  // So LCP's observer gets `largest-contentful-paint` entries only, and no metric has the navigationType
  // `soft-navigation`.
  { file: /\/web-vitals\/dist\//, pattern: /"largest-contentful-paint"===\w+\.entryType/g, by: '!0' },
  { file: /\/web-vitals\/dist\//, pattern: /"soft-navigation"!==\w+&&(?="back-forward-cache"!==)/g, by: '' },
];
// Where our code calls those libraries, and what it must not say for the above to hold.
const CALLERS = [
  // gzipSync with `mem: 2` and no other option, and nothing else from fflate (its streaming API needs the state
  // removed above).
  { file: /\/src\/export\/compress\.ts$/, mustNot: /gzipSync\((?![^)]*, \{ mem: 2 \}\))[^)]*,|import\s*\{(?!\s*gzipSync\s*\})[^}]*\}\s*from\s*['"]fflate/ },
  // No options to any on*() function, and none of the metric fields removed above read.
  {
    file: /\/src\/instrumentation\/web-vitals\.ts$/,
    mustNot: /reportAllChanges|reportSoftNavs|durationThreshold|\bon(?:CLS|FCP|INP|LCP|TTFB)?\([^()]*,|\bnavigation(?:Id|InteractionId|URL)\b/,
  },
];
const deadOptions = () => ({
  name: 'dead-options',
  transform(code, id) {
    for (const { file, mustNot } of CALLERS) {
      if (file.test(id) && mustNot.test(code)) this.error(`${id} passes an option that rollup.config.mjs (DEAD_OPTIONS) removes`);
    }
    const rules = DEAD_OPTIONS.filter(({ file }) => file.test(id));
    if (!rules.length) return null;
    const out = new MagicString(code);
    for (const { pattern, by, count } of rules) {
      const matches = [...code.matchAll(pattern)];
      if (!matches.length) this.error(`DEAD_OPTIONS: ${pattern} no longer matches ${id}`);
      if (count !== undefined && matches.length !== count) this.error(`DEAD_OPTIONS: ${pattern} matches ${matches.length} times in ${id}, not ${count}: check the rule against this version`);
      for (const m of matches) {
        const text = typeof by === 'function' ? by(m[0], code) : by;
        if (text) out.overwrite(m.index, m.index + m[0].length, text);
        else out.remove(m.index, m.index + m[0].length);
      }
    }
    return { code: out.toString(), map: out.generateMap({ hires: true }) };
  },
});

// fflate computes its Huffman and CRC tables when its module is evaluated: several milliseconds of a page's
// start-up on a slow machine, for compression that first happens seconds later. In the script-tag bundles the
// module's code runs at the first call of gzipSync instead (the one function tracelet imports: CALLERS). Its one
// option, `mem: 2`, is a constant in there (DEAD_OPTIONS), so the options object is not passed on: gzipSync gets an
// empty one, which fflate reads as its defaults.
const lazyFflate = () => ({
  name: 'lazy-fflate',
  transform(code, id) {
    if (!/\/fflate\/esm\//.test(id)) return null;
    const out = new MagicString(code);
    // `export { Name };` goes, and `export function` / `export var` lose the keyword; any other form stops the build.
    for (const m of code.matchAll(/^export \{[^}]*\};?$|^export /gm)) {
      if (m[0] === 'export ' && !/^(function|var) /.test(code.slice(m.index + 7))) this.error(`lazy-fflate: ${id} has an export form it does not know`);
      out.remove(m.index, m.index + m[0].length);
    }
    out.prepend('let gzip;\nconst load = () => {\n').append('\nreturn gzipSync;\n};\nexport const gzipSync = (data) => (gzip ??= load())(data, {});\n');
    return { code: out.toString(), map: out.generateMap({ hires: true }) };
  },
});

// zone.js's promises never reach the browser's `unhandledrejection`, and zone.js's own handler for them fails to
// fire it (src/instrumentation/errors.ts): with zone.js in the bundle, the page's listeners and
// `onunhandledrejection` would never run, from the moment the bundle loads, init() or not. So, right after
// zone.js, each unhandled rejection zone.js reports on its hook also rejects a native promise (zone.js keeps the
// native `Promise` as `__zone_symbol__Promise`) with the same reason, left unhandled: the browser fires a real
// `unhandledrejection` for it. Not when zone.js hands over its own Error holding the promise, the reason and the
// Zone: then zone.js's handler has the browser fire it already. `Zone.__zone_symbol__unhandledrejection`, the
// WeakSet of those native promises, tells errors.ts (and a second copy of this bundle) that this is done, and
// errors.ts which events are for rejections it recorded at the hook.
const ZONE_REJECTIONS =
  '(function(Z,k,h,s){if(!Z.__zone_symbol__unhandledrejection){s=Z.__zone_symbol__unhandledrejection=new WeakSet;h=Z[k];' +
  'Z[k]=function(e){e&&e.promise&&e.zone&&"rejection"in e||s.add(__zone_symbol__Promise.reject(e));if(h)return h.apply(this,arguments)}}})' +
  '(Zone,"__zone_symbol__unhandledPromiseRejectionHandler");';

// zone.js's own minified bundle goes in front of ours as it ships, after our minification: zone.js has `_`
// properties of its own that the property mangling above must not touch. ZONE_REJECTIONS comes between them.
const prependZone = () => ({
  name: 'prepend-zone',
  renderChunk(code) {
    const zone = readFileSync(new URL('./node_modules/zone.js/bundles/zone.umd.min.js', import.meta.url), 'utf8');
    const out = new MagicString(code).prepend(`${zone.replace(/\/\/# sourceMappingURL=.*\s*$/, '')}\n${ZONE_REJECTIONS}\n`);
    return { code: out.toString(), map: out.generateMap({ hires: true }) };
  },
});

const iife = (file, withZone) => ({
  input: 'src/script-tag.ts',
  plugins: [version_(), nodeResolve({ browser: true }), ts('ES2021'), deadOptions(), lazyFflate()],
  output: {
    file,
    format: 'iife',
    name: 'Tracelet',
    // The map is written but not named in the bundle: the comment would cost every visitor 60 bytes gzip for a
    // file only developers open. Load it in devtools, or upload it to your error tracker, from dist/.
    sourcemap: 'hidden',
    plugins: withZone ? [minify(), prependZone()] : [minify()],
  },
});

export default [
  {
    // The npm build: fflate, web-vitals and zone.js stay imports, resolved and deduplicated by the app's bundler.
    input: 'src/index.ts',
    external: [/^fflate/, /^web-vitals/, /^zone\.js/],
    plugins: [version_(), ts()],
    output: [
      { file: 'dist/tracelet.js', format: 'es', sourcemap: true },
      { file: 'dist/tracelet.cjs', format: 'cjs', sourcemap: true },
    ],
  },
  iife('dist/tracelet.iife.min.js', false),
  iife('dist/tracelet.zone.iife.min.js', true),
  {
    // The type declarations, in one file with their doc comments and without `@internal` members. One file has no
    // relative imports, which node16/nodenext resolution would want spelled with `.js`. The `.d.cts` copy types
    // `require` (tracelet.cjs): TypeScript reads the same `export`s in it as CommonJS ones. This step does not stop
    // at type errors: `npm run typecheck` does.
    input: 'src/index.ts',
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { types: [], stripInternal: true } })],
    output: [
      { file: 'dist/tracelet.d.ts', format: 'es' },
      { file: 'dist/tracelet.d.cts', format: 'es' },
    ],
  },
];
