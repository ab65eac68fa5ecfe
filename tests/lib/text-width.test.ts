import { displayWidth, padEndDisplay, padStartDisplay } from '../../src/lib/text-width';

describe('display width', () => {
  it('counts Japanese characters as two columns and ASCII as one', () => {
    expect(displayWidth('USER')).toBe(4);
    expect(displayWidth('ユーザー名')).toBe(10);
    expect(displayWidth('未使用日数')).toBe(10);
    expect(displayWidth('key1 (3日)')).toBe(10);
  });

  it('pads mixed text to the same on-screen width', () => {
    expect(padEndDisplay('ユーザー名', 12)).toBe('ユーザー名  ');
    expect(padEndDisplay('alice', 12)).toBe('alice       ');
    expect(padStartDisplay('12', 10)).toBe('        12');
  });

  it('never truncates text wider than the column', () => {
    expect(padEndDisplay('長い名前のユーザー', 4)).toBe('長い名前のユーザー');
  });
});
