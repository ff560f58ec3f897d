import { describe, expect, it } from 'vitest';
import { rememberedAnswer } from './consent.ts';

describe('rememberedAnswer', () => {
  const consent = { allowed: ['numpy', 'pandas'], denied: ['scipy'] };
  it('allows when every package was allowed', () => {
    expect(rememberedAnswer(consent, ['numpy', 'pandas'])).toBe('allow');
  });
  it('denies when one was denied and the others allowed', () => {
    expect(rememberedAnswer(consent, ['numpy', 'scipy'])).toBe('deny');
  });
  it('asks when any package was never answered', () => {
    expect(rememberedAnswer(consent, ['numpy', 'matplotlib'])).toBeUndefined();
    expect(rememberedAnswer(consent, ['scipy', 'matplotlib'])).toBeUndefined();
  });
});
