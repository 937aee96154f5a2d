// The handler table's types, checked by tsc (the @ts-expect-error lines fail the build if the error
// they expect goes away): a feature's slice must answer each of its calls and nothing else.
import { expectTypeOf, it } from 'vitest';
import type { CallsUnder, Handlers } from './session.js';

it('a slice of the handler table answers exactly its calls', () => {
  const answer = () => ({});
  // @ts-expect-error manager.quit has no handler
  const missing: Handlers<'manager.lock' | 'manager.quit'> = { 'manager.lock': answer };
  const extra: Handlers<'manager.lock'> = {
    'manager.lock': answer,
    // @ts-expect-error manager.quit is not in this slice
    'manager.quit': answer,
  };
  expectTypeOf(missing).toHaveProperty('manager.quit');
  expectTypeOf(extra).not.toHaveProperty('manager.quit');
  expectTypeOf<CallsUnder<'myConsents'>>().toEqualTypeOf<
    'myConsents.lookup' | 'myConsents.withdraw' | 'myConsents.sendCode' | 'myConsents.erase'
  >();
});
