/* eslint-disable no-control-regex -- these tests look for raw control characters */
import { escapeUnsafe, jsonForTerminal } from '../../src/lib/safe-text';

describe('escapeUnsafe', () => {
  it('shows escape sequences, line breaks and other control characters as escapes', () => {
    expect(escapeUnsafe('evil\x1b[31mred\x07')).toBe('evil\\x1b[31mred\\x07');
    expect(escapeUnsafe('two\nlines\ttab\r')).toBe('two\\nlines\\ttab\\r');
    expect(escapeUnsafe('del\x7f c1\x9b')).toBe('del\\x7f c1\\x9b');
  });

  it('shows bidirectional overrides and invisible characters as escapes', () => {
    expect(escapeUnsafe('admin\u202Etxt.exe')).toBe('admin\\u202etxt.exe');
    expect(escapeUnsafe('a\u2066b\u2069c\u200bd\ufeffe\u061cf\u2028g')).toBe(
      'a\\u2066b\\u2069c\\u200bd\\ufeffe\\u061cf\\u2028g',
    );
  });

  it('leaves legitimate names alone, Japanese included', () => {
    for (const name of [
      'alice.tanaka',
      'svc,reports',
      'ren.suzuki@example.com',
      'a+b=c_d-e',
      '田中',
      'café',
    ]) {
      expect(escapeUnsafe(name)).toBe(name);
    }
  });
});

describe('jsonForTerminal', () => {
  it('is the same JSON, with no raw control or bidirectional character in it', () => {
    const value = { userName: 'x\u202Ey\x1b\x85', note: '田中\nnext' };

    const text = jsonForTerminal(value, 2);

    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(/[\u202e\x1b\x85]/);
    expect(text).toContain('"田中\\nnext"');
  });
});
