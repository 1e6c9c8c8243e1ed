// Type-checks a small consumer of the built package (dist/tracelet.d.ts and .d.cts, found through package.json's
// `types` and `exports`) the ways apps resolve it: node16/nodenext from an ES module and from a CommonJS one, bundler,
// and node10. Each must accept a correct use, and report a misspelt option, so the types are not `any`.
//   node scripts/check-types.mjs   after `npm run build`
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const GOOD = `import { init, instrumentFetch, type Span, type TraceletOptions } from 'tracelet';
const options: TraceletOptions = { serviceName: 'shop-web', endpoint: 'https://otel.example.com/v1/traces' };
const n: number = init(options).tracer.startActiveSpan('checkout', (span: Span) => (span.end(), 1));
export { n, instrumentFetch };
`;
const BAD = `import { init } from 'tracelet';\ninit({ serviceNam: 'shop-web' });\n`;
const MISSPELT = 2561; // "Object literal may only specify known properties ... Did you mean to write 'serviceName'?"

// The file extension makes the consumer an ES module (.mts) or a CommonJS one (.cts) under node16/nodenext.
const CONSUMERS = [
  { name: 'nodenext, ES module', ext: 'mts', types: 'tracelet.d.ts', options: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'nodenext, CommonJS', ext: 'cts', types: 'tracelet.d.cts', options: { module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'bundler', ext: 'ts', types: 'tracelet.d.ts', options: { module: 'esnext', moduleResolution: 'bundler' } },
  { name: 'node10', ext: 'ts', types: 'tracelet.d.ts', options: { module: 'commonjs', moduleResolution: 'node10' } },
];

// The package as an app gets it: its package.json and dist/, under node_modules/tracelet.
const root = mkdtempSync(join(tmpdir(), 'tracelet-types-'));
let failed = false;
// TypeScript's own lib files (DOM and the like) are the same for every consumer: parsed once, and not checked.
const libDir = ts.getDirectoryPath(ts.getDefaultLibFilePath({}));
const libs = new Map();
try {
  const pkg = join(root, 'node_modules/tracelet');
  cpSync('package.json', join(pkg, 'package.json'));
  cpSync('dist', join(pkg, 'dist'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  for (const { name, ext, types, options } of CONSUMERS) {
    const good = join(root, `good.${ext}`);
    const bad = join(root, `bad.${ext}`);
    writeFileSync(good, GOOD);
    writeFileSync(bad, BAD);
    const compilerOptions = ts.convertCompilerOptionsFromJson(
      { ...options, target: 'es2020', lib: ['es2020', 'dom'], types: [], strict: true, skipLibCheck: false, skipDefaultLibCheck: true, noEmit: true },
      root,
    ).options;
    const host = ts.createCompilerHost(compilerOptions);
    const read = host.getSourceFile;
    host.getSourceFile = (file, ...rest) => {
      if (!file.startsWith(libDir)) return read(file, ...rest);
      if (!libs.has(file)) libs.set(file, read(file, ...rest));
      return libs.get(file);
    };
    const program = ts.createProgram([good, bad], compilerOptions, host);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const unexpected = diagnostics.filter((d) => !(d.file?.fileName === bad && d.code === MISSPELT));
    const problems = [];
    if (!program.getSourceFile(join(pkg, 'dist', types))) problems.push(`did not resolve 'tracelet' to dist/${types}`);
    if (unexpected.length) problems.push(ts.formatDiagnostics(unexpected, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }));
    if (diagnostics.length === unexpected.length) problems.push(`did not report the misspelt option (TS${MISSPELT}): are the types any?`);
    failed ||= problems.length > 0;
    console.log(`${problems.length ? 'FAIL' : 'ok'}  types for ${name} (dist/${types})${problems.map((p) => `\n  ${p.trim().replaceAll('\n', '\n  ')}`).join('')}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
if (failed) process.exit(1);
