/**
 * Every benchmark, one after another: `npm run bench`. Each prints figures
 * and ratios measured side by side in one run; none asserts a time.
 */
const BENCHES = ['harness-overhead', 'stability', 'probe-overhead', 'zoo-build', 'frameworks', 'browser', 'fleet', 'python-worker-overhead', 'external-count', 'ensemble', 'estimate-error', 'importers'];

const only = process.argv.slice(2);
for (const name of BENCHES.filter((b) => only.length === 0 || only.includes(b))) {
  console.log(`\n== ${name}`);
  const mod = (await import(`./${name}.js`)) as { main: () => Promise<void> };
  await mod.main();
}
