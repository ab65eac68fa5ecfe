import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { InvalidConfigError, describeAwsError } from '../../lib/errors';

/** GetParameters takes at most 10 names per call. */
const MAX_NAMES = 10;

/**
 * SSM String parameters read now, on every call, with no cache: a value an operator just put
 * (`remediation-mode` back to `dry-run`, say) is what the very next invocation acts on. Values come
 * back raw, as strings; the settings table's parsers judge them.
 */
export class SsmLiveParameters {
  constructor(private readonly client: SSMClient = new SSMClient({})) {}

  /** The current value of each name; a missing or unreadable parameter is an InvalidConfigError naming it. */
  async read(names: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (names.length > MAX_NAMES) throw new Error(`at most ${MAX_NAMES} parameters per read`);
    let answer;
    try {
      answer = await this.client.send(new GetParametersCommand({ Names: [...names] }));
    } catch (error) {
      throw new InvalidConfigError(`SSM parameter(s) ${names.join(', ')}: ${describeAwsError(error)}`, {
        cause: error,
      });
    }
    const missing = answer.InvalidParameters ?? [];
    if (missing.length > 0) {
      throw new InvalidConfigError(missing.map((n) => `SSM parameter ${n} does not exist`).join('; '));
    }
    const values = new Map<string, string>();
    for (const p of answer.Parameters ?? []) {
      if (p.Name !== undefined && p.Value !== undefined) values.set(p.Name, p.Value);
    }
    for (const name of names) {
      if (!values.has(name)) throw new InvalidConfigError(`SSM parameter ${name} came back without a value`);
    }
    return values;
  }
}
