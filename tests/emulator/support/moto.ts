import {
  NO_EMULATOR_MESSAGE,
  NO_LIBFAKETIME_MESSAGE,
  START_TIMEOUT_MS,
  launcher,
  libfaketime,
  startMoto,
  type Moto,
  type MotoOptions,
} from '../../../tools/emulator/moto';
import { describeWhenAvailable } from '../../support/optional-tier';

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
  describeWhenAvailable(name, body, {
    available: launcher !== null,
    what: 'the emulator',
    requiredBy: 'STALE_IAM_REQUIRE_EMULATOR',
    skipped: NO_EMULATOR_MESSAGE,
    missing: NO_EMULATOR_MESSAGE.replace('emulator tests skipped', 'no emulator'),
  });
}

/**
 * `describeWithEmulator` for a block whose server must have a settable clock (`useMoto({
 * settableClock: true })`): libfaketime is needed too, on the same terms as the emulator.
 */
export function describeWithEmulatorClock(name: string, body: () => void): void {
  if (launcher === null || libfaketime !== null) {
    describeWithEmulator(name, body);
    return;
  }
  describeWhenAvailable(name, body, {
    available: false,
    what: 'libfaketime',
    requiredBy: 'STALE_IAM_REQUIRE_EMULATOR',
    skipped: NO_LIBFAKETIME_MESSAGE,
    missing: NO_LIBFAKETIME_MESSAGE.replace('emulator tests with a settable clock skipped', 'no libfaketime'),
  });
}

/** A moto server for this test file, started before its tests and stopped after them. */
export function useMoto(options: MotoOptions = {}): { readonly current: Moto } {
  let moto: Moto | undefined;
  beforeAll(async () => {
    moto = await startMoto(options);
  }, START_TIMEOUT_MS);
  afterAll(async () => moto?.stop());
  return {
    get current() {
      if (!moto) throw new Error('the emulator is started in beforeAll: use it inside a test');
      return moto;
    },
  };
}
