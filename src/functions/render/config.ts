import { InvalidConfigError } from '../../lib/errors';

export interface RenderConfig {
  /** The stack's report bucket: the only one render reads from and writes to. */
  readonly reportBucket: string;
}

export function readRenderConfig(env: NodeJS.ProcessEnv): RenderConfig {
  const reportBucket = env.REPORT_BUCKET?.trim();
  if (!reportBucket) throw new InvalidConfigError('REPORT_BUCKET is not set');
  return { reportBucket };
}
