/**
 * WASI fixtures for the parity corpus, built in Node at test time with Debian's clang-14 (as
 * tests/fixtures/build-wasm.ts does). A name is looked up in tests/parity/fixtures/ first, then
 * in tests/fixtures/wasm/. The bytes go into the workspace of each side (Node and the page).
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixture, buildFixtureIn } from '../fixtures/build-wasm.ts';

/** Sources of the parity-only fixtures; their outputs are gitignored. */
export const PARITY_FIXTURE_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Compiles (if stale) and returns one fixture's bytes. */
export async function parityFixture(name: string): Promise<Uint8Array> {
  const source = join(PARITY_FIXTURE_DIR, `${name}.c`);
  const own = await access(source).then(
    () => true,
    () => false,
  );
  if (!own) return buildFixture(name);
  return buildFixtureIn(PARITY_FIXTURE_DIR, name);
}

/** Every fixture a list of cases names, built once each, by name. */
export async function parityFixtures(names: Iterable<string>): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const name of new Set(names)) out[name] = await parityFixture(name);
  return out;
}
