// Prints the size of each build, minified, gzip and brotli, and checks the budgets.
//   node scripts/size.mjs           print the table
//   node scripts/size.mjs --check   also exit 1 when a bundle is over its budget, or holds native async/await
//                                   (zone.js cannot follow a native await, so what ships must have none)
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

// gzip budgets in bytes. The script-tag bundle carries every instrumentation, fflate and web-vitals (zone.js not).
const BUDGETS = {
  'dist/tracelet.iife.min.js': 14.5 * 1024,
};
const FILES = ['dist/tracelet.js', 'dist/tracelet.cjs', 'dist/tracelet.iife.min.js', 'dist/tracelet.zone.iife.min.js'];

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;
let over = false;
const rows = [];
for (const file of FILES) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run npm run build first.`);
    process.exit(1);
  }
  const code = readFileSync(file);
  const gzip = gzipSync(code, { level: 9 }).length;
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const budget = BUDGETS[file];
  const nativeAsync = /\basync\s*(function\b|\(|[\w$]+\s*=>)|\bawait\b/.exec(code.toString('utf8'));
  if (nativeAsync) {
    console.error(`${file} holds native async/await ("${nativeAsync[0]}"), which zone.js cannot follow: write promise chains instead.`);
    over = true;
  }
  if (budget && gzip > budget) over = true;
  rows.push({ file, bytes: code.length, gzip, brotli, budget: budget ? `${kb(budget)} ${gzip > budget ? 'OVER' : 'ok'}` : '' });
}
console.log('| file | bytes | gzip | brotli | gzip budget |\n| --- | ---: | ---: | ---: | --- |');
for (const r of rows) console.log(`| ${r.file} | ${r.bytes} B | ${r.gzip} B | ${r.brotli} B | ${r.budget} |`);
if (process.argv.includes('--check') && over) {
  console.error('A bundle failed its checks (see above): fix it before merging.');
  process.exit(1);
}
