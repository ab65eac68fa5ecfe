import {
  NO_EMULATOR_MESSAGE,
  START_TIMEOUT_MS,
  launcher,
  startMoto,
  type Moto,
} from '../../../tools/emulator/moto';

/**
 * The emulator tier's hold on a moto server (tools/emulator/moto.ts starts it): started once per
 * test file, skipped with a message when none is installed, unless STALE_IAM_REQUIRE_EMULATOR=1
 * (CI), which makes a missing emulator a failure instead.
 */

export { NO_EMULATOR_MESSAGE, startMoto, type Moto };

/**
 * `describe` for a block that needs the emulator: skipped, with the reason printed once, when there
 * is none; a failure when STALE_IAM_REQUIRE_EMULATOR=1 says it must be there.
 */
export function describeWithEmulator(name: string, body: () => void): void {
  if (launcher) {
    describe(name, body);
    return;
  }
  if (process.env.STALE_IAM_REQUIRE_EMULATOR === '1') {
    describe(name, () => {
      it('needs the emulator, which STALE_IAM_REQUIRE_EMULATOR=1 requires', () => {
        throw new Error(NO_EMULATOR_MESSAGE.replace('emulator tests skipped', 'no emulator'));
      });
    });
    return;
  }
  console.warn(`${NO_EMULATOR_MESSAGE}: ${name}`);
  describe.skip(name, body);
}

/** A moto server for this test file, started before its tests and stopped after them. */
export function useMoto(): { readonly current: Moto } {
  let moto: Moto | undefined;
  beforeAll(async () => {
    moto = await startMoto();
  }, START_TIMEOUT_MS);
  afterAll(async () => moto?.stop());
  return {
    get current() {
      if (!moto) throw new Error('the emulator is started in beforeAll: use it inside a test');
      return moto;
    },
  };
}
