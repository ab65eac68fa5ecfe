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

  it.each([
    ['a tag character (U+E0041), which can hide a text', 'admin\u{E0041}', 'admin\\u{e0041}'],
    ['the last tag character (U+E007F)', 'a\u{E007F}', 'a\\u{e007f}'],
    ['the soft hyphen (U+00AD)', 'ad\u00admin', 'ad\\xadmin'],
    ['the Hangul choseong filler (U+115F)', 'a\u115fb', 'a\\u115fb'],
    ['the Hangul jungseong filler (U+1160)', 'a\u1160b', 'a\\u1160b'],
    ['the Hangul filler (U+3164), a name that looks empty', '\u3164', '\\u3164'],
    ['the halfwidth Hangul filler (U+FFA0)', 'a\uffa0b', 'a\\uffa0b'],
    ['the Mongolian vowel separator (U+180E)', 'ad\u180emin', 'ad\\u180emin'],
    ['the interlinear annotation marks (U+FFF9-FFFB)', '\ufff9a\ufffab\ufffb', '\\ufff9a\\ufffab\\ufffb'],
  ])('shows %s as an escape', (_what, text, shown) => {
    expect(escapeUnsafe(text)).toBe(shown);
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

  it('writes a tag character as its escaped surrogate pair, which JSON reads back as the same character', () => {
    const value = { userName: 'admin\u{E0041}\u00ad' };

    const text = jsonForTerminal(value);

    expect(text).toBe('{"userName":"admin\\udb40\\udc41\\u00ad"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
