import { readFileSync } from 'node:fs';
import MagicString from 'magic-string';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import replace from '@rollup/plugin-replace';
import typescript from '@rollup/plugin-typescript';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const ts = () =>
  typescript({ tsconfig: './tsconfig.json', include: ['src/**/*.ts'], compilerOptions: { noEmit: false, declaration: false, outDir: 'dist', allowJs: false } });

// `__VERSION__` becomes the package version in every build.
const version_ = () => replace({ preventAssignment: true, values: { __VERSION__: JSON.stringify(version) } });

const minify = () =>
  terser({
    ecma: 2020,
    module: false,
    compress: { passes: 2, pure_getters: true },
    // Every property starting with `_` is private to tracelet and spelled out nowhere else, so it can be renamed:
    // this is where most of the bytes of a class-heavy bundle go (web-vitals and preact do the same).
    mangle: { properties: { regex: /^_/ } },
    format: { comments: false },
  });

// zone.js's own minified bundle goes in front of ours as it ships, after our minification: zone.js has `_`
// properties of its own that the property mangling above must not touch.
const prependZone = () => ({
  name: 'prepend-zone',
  renderChunk(code) {
    const zone = readFileSync(new URL('./node_modules/zone.js/bundles/zone.umd.min.js', import.meta.url), 'utf8');
    const out = new MagicString(code).prepend(`${zone.replace(/\/\/# sourceMappingURL=.*\s*$/, '')}\n`);
    return { code: out.toString(), map: out.generateMap({ hires: true }) };
  },
});

const iife = (file, withZone) => ({
  input: 'src/script-tag.ts',
  plugins: [version_(), nodeResolve({ browser: true }), ts()],
  output: {
    file,
    format: 'iife',
    name: 'Tracelet',
    sourcemap: true,
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
];
