import { unreachableReason } from '../../src/lib/unreachable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('unreachableReason', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused'],
    ['ENOTFOUND', 'host not found'],
    ['EHOSTUNREACH', 'no route to host'],
  ])('names %s', (code, reason) => {
    expect(unreachableReason(withCode(`connect ${code}`, code))).toBe(reason);
  });

  it('finds the network error in the cause of a wrapping error', () => {
    const wrapped = new Error('listing IAM users failed', { cause: withCode('connect', 'ECONNREFUSED') });

    expect(unreachableReason(wrapped)).toBe('connection refused');
  });

  it('reads a connection that was never established in time as unreachable', () => {
    const timeout = Object.assign(
      new Error('Socket timed out without establishing a connection within 3000 ms'),
      { name: 'TimeoutError' },
    );

    expect(unreachableReason(timeout)).toBe('no connection established in time');
  });

  it.each([
    ['a reset connection (the endpoint answered)', withCode('socket hang up', 'ECONNRESET')],
    ['AccessDenied', Object.assign(new Error('not authorized'), { name: 'AccessDenied' })],
    ['not an error', 'ECONNREFUSED'],
  ])('says nothing about %s', (_what, error) => {
    expect(unreachableReason(error)).toBeNull();
  });
});
