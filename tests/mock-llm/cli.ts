/**
 * Starts the mock LLM with a named scenario, for Playwright and manual tries:
 *   npx tsx tests/mock-llm/cli.ts --port 4999 --scenario tool-call
 * The base URL to configure is printed (http://127.0.0.1:PORT/v1). Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { isScenarioName, SCENARIOS } from './scenarios.ts';
import { startMockLlm } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4999' },
    scenario: { type: 'string', default: 'tool-call' },
    delay: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
});

if (values.list) {
  console.log(Object.keys(SCENARIOS).join('\n'));
  process.exit(0);
}
if (!isScenarioName(values.scenario)) {
  console.error(`unknown scenario "${values.scenario}"; one of: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

const server = await startMockLlm({
  ...SCENARIOS[values.scenario],
  port: Number(values.port),
  ...(values.delay !== undefined ? { delayMs: Number(values.delay) } : {}),
});
console.log(`mock-llm listening on ${server.url} (scenario ${values.scenario})`);

const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
