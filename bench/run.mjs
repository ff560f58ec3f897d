// `npm run bench`: registers tsx (the benchmarks and the sandbox sources are TypeScript) and runs bench/main.ts.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('./main.ts');
