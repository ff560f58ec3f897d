/**
 * The terminal speaks what people and agents type (issue 17): variables set on one line are
 * there on the next, and the new commands print what coreutils would.
 */
import { expect, expectTerminal, test, typeCommand, useSharedPage } from './fixtures.ts';

const page = useSharedPage();

test('export and shell variables carry over to the next terminal line', async () => {
  expect(await typeCommand(page(), 'export GREETING=hello-e2e; PLACE=terminal')).toBe('ok 0');
  expect(await typeCommand(page(), 'echo "$GREETING from the ${PLACE:-nowhere}"; env | grep -c GREETING')).toBe('ok 0');
  await expectTerminal(page()).toContain('hello-e2e from the terminal\n1');
});

test('text tools, test and exit codes as POSIX gives them', async () => {
  expect(await typeCommand(page(), 'seq 1 12 > nums.txt && head -n 3 nums.txt | tail -n 1 && wc -l nums.txt && grep -c 1 nums.txt')).toBe('ok 0');
  await expectTerminal(page()).toContain('3\n12 nums.txt\n4');
  expect(await typeCommand(page(), 'grep nothing nums.txt')).toBe('error 1');
  expect(await typeCommand(page(), '[ -f nums.txt ] && sort -rn nums.txt | head -1 | uniq -c')).toBe('ok 0');
  await expectTerminal(page()).toContain('      1 12');
});
