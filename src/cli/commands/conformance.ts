/** `infermark conformance`: run ONNX backend test folders through runtimes and print a scoreboard. */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError, invalidValue } from '../../errors/input-error.js';
import { parseDurationMs, splitList } from '../parse-values.js';
import { runtimeNames } from '../../runtimes/registry.js';
import { DEBIAN_NODE_TESTS, listCases } from '../../conformance/cases.js';
import { runConformance } from '../../conformance/run.js';
import { buildScoreboard, scoreboardText } from '../../conformance/scoreboard.js';
import { ONNX_TOLERANCE } from '../../conformance/types.js';
import { DB_OPTION, DB_USAGE } from '../../store/db-option.js';
import { openResultsStore } from '../../store/open.js';
import { TOOL_VERSION } from '../../version.js';

const DEFAULT_RUNTIMES = ['ort-node', 'tfjs'];

const command: Command = {
  summary: 'run ONNX backend test folders (model.onnx + test_data_set_N) through runtimes; print a pass/wrong/unsupported/error scoreboard',
  usage: `Usage: infermark conformance [--runtime R,...] [--data DIR] [--filter REGEX] [--timeout DURATION] [--json] [--report FILE]

Runs every ONNX backend test case under DIR (folders holding model.onnx and
test_data_set_N/input_K.pb, output_K.pb) on each runtime, each runtime in its
own worker process, and compares the outputs with the expected ones
(|got - expected| <= 1e-7 + 1e-3 * |expected|, NaN equals NaN). A case that
hangs past --timeout or crashes its worker is classified, and the run goes on.

Options:
  --runtime R,...   runtimes to test (default ${DEFAULT_RUNTIMES.join(',')}; known: ${runtimeNames().join(', ')})
  --data DIR        folder of test case folders (default ${DEBIAN_NODE_TESTS},
                    from Debian's libonnx-testdata package)
  --filter REGEX    only the case folders whose name matches
  --timeout D       per case, e.g. 30s (default 30s)
  --json            print every result as JSON instead of the scoreboard
  --report FILE     also write the JSON results (with the scoreboard) to FILE
  --quiet           no progress on stderr
  --no-db           do not record the results in the database (a run of its own,
                    shown as a section by 'infermark report')
${DB_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        runtime: { type: 'string', multiple: true }, data: { type: 'string' }, filter: { type: 'string' },
        timeout: { type: 'string' }, json: { type: 'boolean' }, report: { type: 'string' }, quiet: { type: 'boolean' },
        ...DB_OPTION, 'no-db': { type: 'boolean' },
      },
      strict: true,
    });
    if (positionals.length > 0) throw new InputError('arguments', `conformance takes no positional arguments, got ${JSON.stringify(positionals[0])}; give the test folder with --data DIR`);
    const runtimes = (values.runtime ?? []).flatMap(splitList);
    for (const r of runtimes) if (!runtimeNames().includes(r)) throw invalidValue('--runtime', r, runtimeNames().join(', '));
    const data = values.data ?? DEBIAN_NODE_TESTS;
    if (!existsSync(data)) {
      throw new InputError('--data', values.data
        ? `--data: ${JSON.stringify(data)} does not exist; give a folder of ONNX backend test folders`
        : `--data: the default ${data} does not exist; install Debian's libonnx-testdata (apt-get install libonnx-testdata) or give --data DIR`);
    }
    let filter: RegExp | undefined;
    try {
      filter = values.filter === undefined ? undefined : new RegExp(values.filter);
    } catch (err) {
      throw new InputError('--filter', `--filter: ${JSON.stringify(values.filter)} is not a regular expression (${(err as Error).message})`);
    }
    const caseTimeoutMs = values.timeout === undefined ? 30_000 : parseDurationMs('--timeout', values.timeout, { minMs: 100 });
    const cases = listCases(data, filter);
    if (cases.length === 0) {
      throw new InputError('--data', `--data: no test case folders (with a model.onnx) in ${data}${filter ? ` matching ${filter}` : ''}`);
    }
    const chosen = runtimes.length ? runtimes : DEFAULT_RUNTIMES;
    // Opened before any case runs, so a bad --db stops everything with nothing lost.
    const store = values['no-db'] ? undefined : await openResultsStore(values.db);
    let done = 0;
    const total = cases.length * chosen.length;
    // A PostgreSQL pool left open would keep the process alive: closed whatever happens below.
    const results = await runConformance({
      runtimes: chosen, cases, tolerance: ONNX_TOLERANCE, caseTimeoutMs,
      onResult: values.quiet ? undefined : (r) => {
        done++;
        if (io.isTTY) io.stderr(`\r${done}/${total} ${r.runtime} ${r.test}`.padEnd(80).slice(0, 80));
        else if (done % 100 === 0 || done === total) io.stderr(`${done}/${total} cases run\n`);
      },
    }).catch(async (err: unknown) => { await store?.close(); throw err; });
    if (io.isTTY && !values.quiet) io.stderr('\r'.padEnd(81) + '\r');
    const board = buildScoreboard(results);
    const json = `${JSON.stringify({ data, tolerance: ONNX_TOLERANCE, runtimes: chosen, totals: board.totals, operators: board.operators, results }, null, 2)}\n`;
    if (values.report) writeFileSync(values.report, json);
    if (store) {
      try {
        const runId = await store.beginRun({ command: ['infermark', 'conformance', ...argv].join(' '), plan: { kind: 'conformance', data, runtimes: chosen, tolerance: ONNX_TOLERANCE }, toolVersion: TOOL_VERSION });
        await store.addConformanceResults(runId, results);
        await store.endRun(runId);
        if (!values.quiet) io.stderr(`recorded as run ${runId} in ${store.location}\n`);
      } finally {
        await store.close();
      }
    }
    io.stdout(values.json ? json : scoreboardText(board, data));
    return 0;
  },
};

export default command;
