import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { SETTINGS, deployParameterNames } from '../../src/settings/table';
import { DEFAULT_REGION, envExampleText } from '../../serverless/env-example';
import { temporaryDirectory } from '../support/temp-dir';

const ROOT = path.join(__dirname, '..', '..');
const text = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
const dir = temporaryDirectory('env');

/** The file with every commented assignment switched on, as an operator who changes everything would. */
const everythingSet = text.replace(/^# ([A-Za-z_][A-Za-z0-9_]*=)/gm, '$1');

describe('.env.example', () => {
  it('is the text generated from the settings table (npm run env-example)', () => {
    expect(text).toBe(envExampleText());
  });

  it('names every deploy parameter once, with the default packaging uses, and the region', () => {
    const values = dotenv.parse(everythingSet);

    expect(Object.keys(values).sort()).toEqual(
      [...deployParameterNames(), 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION'].sort(),
    );
    for (const setting of Object.values(SETTINGS)) {
      if (setting.param)
        expect([setting.param, values[setting.param]]).toEqual([setting.param, setting.default]);
    }
    expect(values.AWS_REGION).toBe(DEFAULT_REGION);
    // AWS CLI v1 reads only AWS_DEFAULT_REGION: the same region for the stack and every aws command.
    expect(values.AWS_DEFAULT_REGION).toBe(values.AWS_REGION);
  });

  it('means the same to the shell (set -a; . ./.env) as to the dotenv loader osls uses', () => {
    const file = path.join(dir, '.env');
    writeFileSync(file, everythingSet);
    const sourced = JSON.parse(
      execFileSync(
        'sh',
        [
          '-c',
          `set -a; . "$0"; set +a; exec node -e "process.stdout.write(JSON.stringify(process.env))"`,
          file,
        ],
        { env: { PATH: process.env.PATH }, encoding: 'utf8' },
      ),
    ) as Record<string, string>;
    const parsed = dotenv.parse(everythingSet);

    for (const [name, value] of Object.entries(parsed)) expect([name, sourced[name]]).toEqual([name, value]);
    expect(sourced.scheduleExpression).toBe('cron(0 0 * * ? *)');
  });

  it('uses the region the stack falls back to when nothing else names one', () => {
    const serverlessYml = readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8');
    expect(serverlessYml).toContain(`region: \${opt:region, env:AWS_REGION, '${DEFAULT_REGION}'}`);
    expect(serverlessYml).toMatch(/^useDotenv: true$/m);
  });
});
