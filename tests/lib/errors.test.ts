import { describeAwsError } from '../../src/lib/errors';

describe('describeAwsError', () => {
  it('names the error code of an SDK error', () => {
    const denied = Object.assign(new Error('User: x is not authorized'), { name: 'AccessDenied' });

    expect(describeAwsError(denied)).toBe('AccessDenied: User: x is not authorized');
  });

  it('adds no "Error:" word to a plain Error', () => {
    expect(describeAwsError(new Error('connect ECONNREFUSED 127.0.0.1:5999'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:5999',
    );
  });

  it('does not name the code twice when the message already starts with it', () => {
    const error = Object.assign(new Error('TimeoutError: socket hang up'), { name: 'TimeoutError' });

    expect(describeAwsError(error)).toBe('TimeoutError: socket hang up');
  });

  it('keeps the name of an error without a message, on one line', () => {
    expect(describeAwsError(Object.assign(new Error(''), { name: 'Throttling' }))).toBe('Throttling');
    expect(describeAwsError(new Error('two\n  lines'))).toBe('two lines');
  });
});
