/** `infermark plan`: the plan file's JSON Schema, and checking a plan without running it. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { planSchema } from '../../plan/schema.js';
import { loadPlan } from '../../plan/load.js';
import { planEntries } from '../../plan/to-options.js';
import { listZoo } from '../../zoo/catalog.js';

const command: Command = {
  summary: 'print the JSON Schema of plan files, or check a plan file',
  usage: `Usage: infermark plan --schema
       infermark plan --check PLAN.yaml

--schema prints the JSON Schema of plan files (YAML or JSON).
--check validates a plan and lists every error with its path in the file.
To see the trials a plan expands to, use 'infermark run PLAN.yaml --dry-run'.`,
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { schema: { type: 'boolean' }, check: { type: 'string' } }, strict: true });
    if (values.check) {
      const plan = loadPlan(values.check, listZoo().map((z) => z.name));
      io.stdout(`${values.check}: valid, ${planEntries(plan).length} entr${planEntries(plan).length === 1 ? 'y' : 'ies'}\n`);
      return 0;
    }
    io.stdout(`${JSON.stringify(planSchema(), null, 2)}\n`);
    return 0;
  },
};

export default command;
