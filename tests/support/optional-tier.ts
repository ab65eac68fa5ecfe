/**
 * `describe` for a tier that needs a tool the machine may not have (the emulator, a browser):
 * - the tool is there: the block runs;
 * - it is not, and `requiredBy` (an environment variable, set to 1 in CI) says it must be: one
 *   failing test that says what is missing;
 * - it is not, and nothing requires it: the block is skipped, with the reason printed once.
 */
export function describeWhenAvailable(
  name: string,
  body: () => void,
  tool: {
    readonly available: boolean;
    /** e.g. `the emulator` */
    readonly what: string;
    readonly requiredBy: string;
    /** Why the tier is skipped, and how to get the tool. */
    readonly skipped: string;
    /** The same, when it is required. */
    readonly missing: string;
  },
): void {
  if (tool.available) {
    describe(name, body);
    return;
  }
  if (process.env[tool.requiredBy] === '1') {
    describe(name, () => {
      it(`needs ${tool.what}, which ${tool.requiredBy}=1 requires`, () => {
        throw new Error(tool.missing);
      });
    });
    return;
  }
  console.warn(`${tool.skipped}: ${name}`);
  describe.skip(name, body);
}
