/** `npm run bench -- [--quick] [--turns N] [--users N] …`: runs the benchmark, prints, saves JSON. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runBench } from './bench.js';
import { parseBenchArgs } from './options.js';
import { checkTargets, formatReport, reportRows } from './report.js';

const options = parseBenchArgs(process.argv.slice(2));
const result = await runBench(options, (line) => process.stderr.write(`${line}\n`));
console.log(formatReport(result));
if (options.out) {
  mkdirSync(dirname(options.out), { recursive: true });
  const json = { ...result, table: reportRows(result), targets: checkTargets(result) };
  writeFileSync(options.out, `${JSON.stringify(json, null, 2)}\n`);
  process.stderr.write(`results written to ${options.out}\n`);
}
